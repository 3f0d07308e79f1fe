import { describe, expect, it } from 'vitest';
import { chooseDevicePlan, TYPICAL_WASM_DEVICE } from '../shared/device/policy';
import type { LoadedModel, ModelLoadRequest, RunTaskMessage, TaskOutput, WorkerResponse } from '../shared/protocol';
import { type Engine, EngineError } from './engine/engine';
import { createRequestHandler } from './handler';

const SOURCE = { kind: 'hub', modelId: 'a/b' } as const;
const LOADED: LoadedModel = {
  source: SOURCE,
  plan: chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto'),
  loadMs: 5,
  storageProblem: null,
};

function output(id: number): TaskOutput {
  return {
    task: '<CAPTION>',
    prompt: 'p',
    rawText: `answer ${id}`,
    tokens: [],
    quality: 'fast',
    imageSize: { width: 1, height: 1 },
    generatedTokens: 1,
    timings: {
      visionCached: false,
      readFileMs: 0,
      decodeImageMs: 0,
      preprocessMs: 0,
      resizeMs: 0,
      visionEncoderMs: 0,
      textEncoderMs: 0,
      firstTokenMs: 0,
      perTokenMs: 0,
      generateMs: 0,
      totalMs: 0,
    },
  };
}

/** A fake engine whose runs finish only when the test says so. */
function fakeEngine() {
  const releases: (() => void)[] = [];
  const log: string[] = [];
  const engine: Engine = {
    async load(_request, _deviceOverride, onProgress) {
      onProgress({ phase: 'downloading', files: [{ file: 'config.json', loaded: 1, total: 2, done: false }] });
      return LOADED;
    },
    run(request, signal) {
      const id = Number(request.taskInput);
      log.push(`start ${id}`);
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new EngineError('cancelled', 'The run was cancelled.')));
        releases.push(() => {
          log.push(`end ${id}`);
          resolve(output(id));
        });
      });
    },
  };
  return { engine, releases, log };
}

const image = new Blob(['x']);
// The fake engine reads the message id back from the task input, to log which run it is.
const run = (id: number): RunTaskMessage => ({
  kind: 'run-task',
  id,
  request: { task: '<CAPTION>', taskInput: String(id), image },
});
const LOAD_REQUEST: ModelLoadRequest = { source: SOURCE, devicePreference: 'auto', dtypePreset: 'auto' };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('worker request handler', () => {
  it('answers a load with progress messages and then exactly one result', async () => {
    const posted: WorkerResponse[] = [];
    const handle = createRequestHandler(fakeEngine().engine, (response) => posted.push(response));
    await handle({ kind: 'load-model', id: 1, request: LOAD_REQUEST });
    expect(posted.map((response) => response.kind)).toEqual(['progress', 'result']);
    expect(posted[1]).toEqual({ kind: 'result', id: 1, request: 'load-model', result: LOADED });
  });

  it('gives the engine the request as the page sent it, and the device a recovery chose', async () => {
    const received: unknown[] = [];
    const engine: Engine = {
      ...fakeEngine().engine,
      load: async (request, deviceOverride) => {
        received.push([request, deviceOverride]);
        return LOADED;
      },
    };
    const handle = createRequestHandler(engine, () => {});
    await handle({ kind: 'load-model', id: 1, request: LOAD_REQUEST });
    await handle({ kind: 'load-model', id: 2, request: LOAD_REQUEST, deviceOverride: 'wasm' });
    expect(received).toEqual([
      [LOAD_REQUEST, undefined],
      [LOAD_REQUEST, 'wasm'],
    ]);
  });

  it('runs one request at a time, in order', async () => {
    const { engine, releases, log } = fakeEngine();
    const posted: WorkerResponse[] = [];
    const handle = createRequestHandler(engine, (response) => posted.push(response));
    const first = handle(run(1));
    const second = handle(run(2));
    await flush();
    expect(log).toEqual(['start 1']);
    releases.shift()?.();
    await first;
    await flush();
    expect(log).toEqual(['start 1', 'end 1', 'start 2']);
    releases.shift()?.();
    await second;
    expect(posted.map((response) => (response.kind === 'result' ? response.id : null))).toEqual([1, 2]);
  });

  it('cancels a running request by id and keeps serving the next one', async () => {
    const { engine, releases } = fakeEngine();
    const posted: WorkerResponse[] = [];
    const handle = createRequestHandler(engine, (response) => posted.push(response));
    const running = handle(run(1));
    await flush();
    await handle({ kind: 'cancel', id: 2, targetId: 1 });
    await running;
    expect(posted).toContainEqual({ kind: 'result', id: 2, request: 'cancel', result: { cancelled: true } });
    expect(posted).toContainEqual({
      kind: 'error',
      id: 1,
      error: { code: 'cancelled', message: 'The run was cancelled.' },
    });
    const next = handle(run(3));
    await flush();
    releases.pop()?.();
    await next;
    expect(posted.at(-1)).toMatchObject({ kind: 'result', id: 3 });
  });

  it('cancels a queued request before it starts', async () => {
    const { engine, releases, log } = fakeEngine();
    const posted: WorkerResponse[] = [];
    const handle = createRequestHandler(engine, (response) => posted.push(response));
    const first = handle(run(1));
    const queued = handle(run(2));
    await handle({ kind: 'cancel', id: 3, targetId: 2 });
    releases.shift()?.();
    await Promise.all([first, queued]);
    expect(log).toEqual(['start 1', 'end 1']);
    expect(posted).toContainEqual(expect.objectContaining({ kind: 'error', id: 2 }));
  });

  it('reports engine errors with their code and unexpected ones as internal, without throwing', async () => {
    const posted: WorkerResponse[] = [];
    const failing: Engine = {
      load: async () => {
        throw new EngineError('model-not-found', 'The model files were not found.', 'HTTP 404', 'webgpu');
      },
      run: async () => {
        throw new TypeError('boom');
      },
    };
    const handle = createRequestHandler(failing, (response) => posted.push(response));
    await handle({ kind: 'load-model', id: 1, request: LOAD_REQUEST });
    await handle(run(2));
    expect(posted).toEqual([
      {
        kind: 'error',
        id: 1,
        error: {
          code: 'model-not-found',
          message: 'The model files were not found.',
          detail: 'HTTP 404',
          device: 'webgpu',
        },
      },
      {
        kind: 'error',
        id: 2,
        error: { code: 'internal', message: 'Something went wrong inside the model worker.', detail: 'boom' },
      },
    ]);
  });

  it("passes a run's phases and partial answers on as progress of that run, before its result", async () => {
    const posted: WorkerResponse[] = [];
    const engine: Engine = {
      ...fakeEngine().engine,
      run: async (_request, _signal, onPartialAnswer, onPhase) => {
        onPhase?.('preparing-image');
        onPhase?.('encoding-image');
        onPhase?.('generating');
        onPartialAnswer('a');
        return output(4);
      },
    };
    const handle = createRequestHandler(engine, (response) => posted.push(response));
    await handle(run(4));
    expect(posted).toEqual([
      { kind: 'progress', id: 4, progress: { kind: 'run-phase', phase: 'preparing-image' } },
      { kind: 'progress', id: 4, progress: { kind: 'run-phase', phase: 'encoding-image' } },
      { kind: 'progress', id: 4, progress: { kind: 'run-phase', phase: 'generating' } },
      { kind: 'progress', id: 4, progress: { kind: 'partial-answer', rawText: 'a' } },
      { kind: 'result', id: 4, request: 'run-task', result: output(4) },
    ]);
  });

  it('answers an unknown request with an error instead of ignoring it', async () => {
    const posted: WorkerResponse[] = [];
    const handle = createRequestHandler(fakeEngine().engine, (response) => posted.push(response));
    await handle({ kind: 'bogus', id: 9 } as unknown as Parameters<typeof handle>[0]);
    expect(posted).toEqual([
      { kind: 'error', id: 9, error: { code: 'invalid-request', message: 'The worker received an unknown request.' } },
    ]);
  });
});
