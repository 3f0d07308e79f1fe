/**
 * Dispatches protocol requests to an engine: one at a time, each answered with exactly one result or
 * error, runs cancellable by id. Free of worker globals so it is tested in Node with a fake engine.
 */

import type { RequestId, WorkerError, WorkerRequest, WorkerResponse } from '../shared/protocol';
import { type Engine, EngineError, errorText } from './engine/engine';

export function toWorkerError(error: unknown): WorkerError {
  if (error instanceof EngineError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      ...(error.device === undefined ? {} : { device: error.device }),
      ...(error.unreachableHost === undefined ? {} : { unreachableHost: error.unreachableHost }),
    };
  }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'The run was cancelled.' };
  }
  return { code: 'internal', message: 'Something went wrong inside the model worker.', detail: errorText(error) };
}

export function createRequestHandler(engine: Engine, post: (response: WorkerResponse) => void) {
  const pending = new Map<RequestId, AbortController>();
  // Model runtimes cannot run two sessions at once, and a run must not start before its model loads.
  let queue: Promise<void> = Promise.resolve();

  function enqueue(id: RequestId, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    pending.set(id, controller);
    const next = queue.then(async () => {
      try {
        if (controller.signal.aborted) throw new EngineError('cancelled', 'The run was cancelled.');
        await work(controller.signal);
      } catch (error) {
        post({ kind: 'error', id, error: toWorkerError(error) });
      } finally {
        pending.delete(id);
      }
    });
    queue = next;
    return next;
  }

  return function handle(request: WorkerRequest): Promise<void> {
    switch (request.kind) {
      case 'load-model':
        return enqueue(request.id, async () => {
          const result = await engine.load(request.request, request.deviceOverride, (load) =>
            post({ kind: 'progress', id: request.id, progress: { kind: 'load', load } }),
          );
          post({ kind: 'result', id: request.id, request: 'load-model', result });
        });
      case 'run-task':
        return enqueue(request.id, async (signal) => {
          const result = await engine.run(
            request.request,
            signal,
            (rawText) => post({ kind: 'progress', id: request.id, progress: { kind: 'partial-answer', rawText } }),
            (phase) => post({ kind: 'progress', id: request.id, progress: { kind: 'run-phase', phase } }),
          );
          post({ kind: 'result', id: request.id, request: 'run-task', result });
        });
      case 'cancel': {
        const target = pending.get(request.targetId);
        target?.abort();
        post({ kind: 'result', id: request.id, request: 'cancel', result: { cancelled: target !== undefined } });
        return Promise.resolve();
      }
      default: {
        const unknown = request as { id?: unknown };
        const id = typeof unknown.id === 'number' ? unknown.id : -1;
        post({
          kind: 'error',
          id,
          error: { code: 'invalid-request', message: 'The worker received an unknown request.' },
        });
        return Promise.resolve();
      }
    }
  };
}
