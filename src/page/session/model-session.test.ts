/**
 * The model session against a fake worker: every recovery the e2e suite provokes in a browser, and
 * the ones a browser makes hard to provoke (crashes at awkward moments, repeated losses, races).
 */
import { describe, expect, it } from 'vitest';
import type { LoadModelMessage, ModelLoadRequest, TaskRunRequest, WorkerError } from '../../shared/protocol';
import { answer, deviceOf, FakeWorker, loadedOn, type Outcome, type Script } from './fake-worker';
import { createModelSession, ModelSessionError, type SessionEvent } from './model-session';

const REQUEST: ModelLoadRequest = {
  source: { kind: 'hub', modelId: 'onnx-community/Florence-2-base-ft' },
  devicePreference: 'auto',
  dtypePreset: 'auto',
  wasmThreads: 2,
  referenceDemo: false,
};
const RUN: TaskRunRequest = { task: '<CAPTION>', taskInput: '', image: new Blob(['image bytes']) };

const flush = async (times = 3) => {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

const failure = (code: WorkerError['code'], device?: 'webgpu' | 'wasm', detail = 'underlying error'): Outcome => ({
  error: { code, message: `failed: ${code}`, detail, ...(device ? { device } : {}) },
});

/** A session whose workers answer as `script` says; loads succeed on the device they ask for by default. */
function setUp(script: Script = () => 'hold', options: { deleted?: number } = {}) {
  const workers: FakeWorker[] = [];
  const deletions: unknown[] = [];
  const events: SessionEvent[] = [];
  const session = createModelSession({
    createWorker: () => {
      const worker = new FakeWorker(workers.length, script);
      workers.push(worker);
      return worker;
    },
    deleteStoredModel: async (source) => {
      deletions.push(source);
      return options.deleted ?? 3;
    },
  });
  session.subscribe((event) => events.push(event));
  const notices = () => events.flatMap((event) => (event.kind === 'notice' ? [event.notice.code] : []));
  const statuses = () => events.flatMap((event) => (event.kind === 'state' ? [event.state.status] : []));
  return { session, workers, deletions, events, notices, statuses };
}

/** Loads succeed; runs follow `runs` by the index of the worker they reach. */
const loadsSucceed =
  (runs: (worker: FakeWorker, runIndex: number) => Outcome = () => ({ result: answer('A cat.') })): Script =>
  (message, worker) =>
    message.kind === 'load-model'
      ? { result: loadedOn(deviceOf(message), message.request) }
      : runs(worker, worker.runs().length - 1);

async function rejection(promise: Promise<unknown>): Promise<ModelSessionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelSessionError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Every load message any worker received sends the caller's request object's contents unchanged. */
function expectRequestUnchanged(workers: readonly FakeWorker[]): LoadModelMessage[] {
  const loads = workers.flatMap((worker) => worker.loads());
  for (const load of loads) expect(load.request).toEqual(REQUEST);
  return loads;
}

describe('model session: loading', () => {
  it('loads in a worker, reporting progress, and runs there', async () => {
    const progressSeen: unknown[] = [];
    const { session, workers, statuses } = setUp((message, worker) => {
      if (message.kind === 'load-model') {
        worker.reply({
          kind: 'progress',
          id: message.id,
          progress: { kind: 'load', load: { phase: 'downloading', files: [] } },
        });
        return { result: loadedOn('wasm', message.request) };
      }
      return { result: answer('A cat.') };
    });
    const model = await session.load(REQUEST, { onProgress: (progress) => progressSeen.push(progress) });
    expect(model.plan.device).toBe('wasm');
    expect(model.fallback).toBeNull();
    expect(progressSeen).toEqual([{ phase: 'downloading', files: [] }]);
    expect(statuses()).toEqual(['loading', 'loading', 'ready']);
    expect((await session.run(RUN)).rawText).toBe('A cat.');
    expect(workers).toHaveLength(1);
    expect(workers[0]?.runs()[0]?.request).toBe(RUN);
  });

  it('moves to WASM in a fresh worker when WebGPU fails to load, with the same request', async () => {
    const { session, workers } = setUp((message) =>
      message.kind === 'load-model' && deviceOf(message) === 'webgpu'
        ? failure('model-load-failed', 'webgpu', 'no shader for Gather')
        : { result: loadedOn(deviceOf(message as LoadModelMessage), (message as LoadModelMessage).request) },
    );
    const model = await session.load(REQUEST);
    expect(model.plan.device).toBe('wasm');
    expect(model.plan.reason).toBe('WebGPU failed, so the model runs on WASM');
    expect(model.fallback).toEqual({ from: 'webgpu', reason: 'no shader for Gather' });
    expect(workers.map((worker) => worker.terminated)).toEqual([true, false]);
    const loads = expectRequestUnchanged(workers);
    expect(loads.map((load) => load.deviceOverride)).toEqual([undefined, 'wasm']);
  });

  it('reports a failure on WASM, and file or network failures on any device, without retrying', async () => {
    for (const [code, device] of [
      ['model-load-failed', 'wasm'],
      ['model-not-found', 'webgpu'],
      ['network', 'webgpu'],
    ] as const) {
      const { session, workers } = setUp(() => failure(code, device));
      const error = await rejection(session.load(REQUEST));
      expect(error.code).toBe(code);
      expect(session.state.status).toBe('error');
      expect(session.state.error?.code).toBe(code);
      expect(workers).toHaveLength(1);
    }
  });

  it('repairs damaged stored files once: deletes them and downloads again in a fresh worker', async () => {
    const { session, workers, deletions } = setUp((message, worker) =>
      worker.index === 0
        ? failure('damaged-model-files', 'wasm')
        : { result: loadedOn('wasm', (message as LoadModelMessage).request) },
    );
    const model = await session.load(REQUEST);
    expect(model.storageProblem).toBe('repaired');
    expect(deletions).toEqual([REQUEST.source]);
    expect(workers).toHaveLength(2);
    expectRequestUnchanged(workers);
  });

  it('reports damage that a repair did not cure, and damage with nothing stored to delete', async () => {
    const twice = setUp(() => failure('damaged-model-files', 'wasm'));
    expect((await rejection(twice.session.load(REQUEST))).code).toBe('damaged-model-files');
    expect(twice.workers).toHaveLength(2);
    expect(twice.deletions).toHaveLength(1);

    const onServer = setUp(() => failure('damaged-model-files', 'wasm'), { deleted: 0 });
    expect((await rejection(onServer.session.load(REQUEST))).code).toBe('damaged-model-files');
    expect(onServer.workers).toHaveLength(1);
  });

  it('offers the next smaller choice after running out of memory, and none on the smallest', async () => {
    const { session } = setUp(() => failure('out-of-memory', 'wasm'));
    const error = await rejection(session.load(REQUEST));
    expect(error.error.smallerChoice).toEqual({
      modelId: 'onnx-community/Florence-2-base-ft',
      dtypePreset: 'smallest',
    });
    expect(session.state.error?.smallerChoice).toEqual(error.error.smallerChoice);

    const smallest = setUp(() => failure('out-of-memory', 'wasm'));
    const onSmallest = await rejection(smallest.session.load({ ...REQUEST, dtypePreset: 'smallest' }));
    expect(onSmallest.code).toBe('out-of-memory');
    expect(onSmallest.error.smallerChoice).toBeNull();
  });

  it('a crash during a load is retried once in a fresh worker', async () => {
    const { session, workers } = setUp((message, worker) =>
      worker.index === 0 ? 'crash' : { result: loadedOn('wasm', (message as LoadModelMessage).request) },
    );
    const model = await session.load(REQUEST);
    expect(model.plan.device).toBe('wasm');
    expect(workers.map((worker) => worker.terminated)).toEqual([true, false]);
    expectRequestUnchanged(workers);
  });

  it('two crashes in one load are reported, with a smaller choice', async () => {
    const { session, workers } = setUp(() => 'crash');
    const error = await rejection(session.load(REQUEST));
    expect(error.code).toBe('worker-crashed');
    expect(error.message).toContain('twice');
    expect(error.error.smallerChoice).toEqual({
      modelId: REQUEST.source.kind === 'hub' ? REQUEST.source.modelId : null,
      dtypePreset: 'smallest',
    });
    expect(workers).toHaveLength(2);
  });

  it('a second load while one is in flight replaces it', async () => {
    const { session, workers } = setUp((message, worker) =>
      worker.index === 0 ? 'hold' : { result: loadedOn('wasm', (message as LoadModelMessage).request) },
    );
    const first = session.load(REQUEST);
    const second = session.load({ ...REQUEST, dtypePreset: 'smallest' });
    const error = await rejection(first);
    expect(error.code).toBe('cancelled');
    expect((await second).plan.dtypes.vision_encoder).toBe('q4');
    expect(workers[0]?.terminated).toBe(true);
    // The replaced worker's late answer changes nothing.
    const held = workers[0]?.loads()[0];
    if (held) workers[0]?.deliver(held, { result: loadedOn('webgpu', REQUEST) });
    await flush();
    expect(session.state.status).toBe('ready');
    expect(session.state.model?.plan.dtypes.vision_encoder).toBe('q4');
  });
});

describe('model session: runs', () => {
  it('a run waits for the load in progress; with no model it is refused', async () => {
    const idle = setUp(loadsSucceed());
    expect((await rejection(idle.session.run(RUN))).code).toBe('not-loaded');

    const { session } = setUp(loadsSucceed());
    const load = session.load(REQUEST);
    const run = session.run(RUN);
    await load;
    expect((await run).rawText).toBe('A cat.');
  });

  it('runs one at a time, in order', async () => {
    const { session, workers } = setUp(
      loadsSucceed((_worker, index) => (index === 0 ? 'hold' : { result: answer('second') })),
    );
    await session.load(REQUEST);
    const first = session.run(RUN);
    const second = session.run({ ...RUN, task: '<OD>' });
    await flush();
    const worker = workers[0] as FakeWorker;
    expect(worker.runs()).toHaveLength(1);
    const held = worker.runs()[0];
    if (held) worker.deliver(held, { result: answer('first') });
    expect((await first).rawText).toBe('first');
    expect((await second).rawText).toBe('second');
    expect(worker.runs().map((message) => message.request.task)).toEqual(['<CAPTION>', '<OD>']);
  });

  it('cancelling a run tells the worker which run to stop', async () => {
    const { session, workers } = setUp(loadsSucceed(() => 'hold'));
    await session.load(REQUEST);
    const abort = new AbortController();
    const run = session.run(RUN, { signal: abort.signal });
    await flush();
    abort.abort();
    const worker = workers[0] as FakeWorker;
    const runMessage = worker.runs()[0];
    expect(worker.received.at(-1)).toMatchObject({ kind: 'cancel', targetId: runMessage?.id });
    if (runMessage) worker.deliver(runMessage, failure('cancelled', 'wasm'));
    expect((await rejection(run)).code).toBe('cancelled');
  });

  it('a lost GPU device: the run is sent again to a fresh WebGPU worker', async () => {
    const { session, workers, notices } = setUp(
      loadsSucceed((worker) =>
        worker.index === 0 ? failure('gpu-device-lost', 'webgpu') : { result: answer('again') },
      ),
    );
    await session.load(REQUEST);
    expect((await session.run(RUN)).rawText).toBe('again');
    expect(workers).toHaveLength(2);
    expect(session.state.model?.plan.device).toBe('webgpu');
    expect(session.state.model?.fallback).toBeNull();
    expect(notices()).toEqual(['rerunning-on-fresh-gpu', 'rerun-on-fresh-gpu']);
    expect(workers[1]?.runs()[0]?.request).toBe(RUN);
    expectRequestUnchanged(workers);
  });

  it('two lost devices in a row: the run moves to WASM; a third loss is reported', async () => {
    const { session, workers, notices } = setUp(
      loadsSucceed((worker) =>
        worker.index < 2 ? failure('gpu-device-lost', 'webgpu', 'device destroyed') : { result: answer('on wasm') },
      ),
    );
    await session.load(REQUEST);
    expect((await session.run(RUN)).rawText).toBe('on wasm');
    const loads = expectRequestUnchanged(workers);
    expect(loads.map((load) => load.deviceOverride)).toEqual([undefined, undefined, 'wasm']);
    expect(session.state.model?.plan.device).toBe('wasm');
    expect(session.state.model?.fallback?.reason).toBe(
      'The WebGPU device was lost twice in one run (device destroyed).',
    );
    expect(notices()).toEqual(['rerunning-on-fresh-gpu', 'rerunning-on-wasm', 'rerun-on-wasm']);

    // A device that keeps being lost, even where the policy would go to WASM, ends in an error.
    const always = setUp(loadsSucceed(() => failure('gpu-device-lost', 'webgpu')));
    await always.session.load({ ...REQUEST, devicePreference: 'webgpu' });
    expect((await rejection(always.session.run(RUN))).code).toBe('gpu-device-lost');
  });

  it('WebGPU failing on the first run moves the model to WASM and answers there; later failures are reported', async () => {
    const { session, workers, notices } = setUp(
      loadsSucceed((worker, index) =>
        worker.index === 0 && index === 0
          ? failure('generation-failed', 'webgpu', 'shader compile failed')
          : { result: answer('ok') },
      ),
    );
    await session.load(REQUEST);
    expect((await session.run(RUN)).rawText).toBe('ok');
    expect(session.state.model?.plan.device).toBe('wasm');
    expect(session.state.model?.plan.reason).toBe('WebGPU failed on the first run, so the model runs on WASM');
    expect(session.state.model?.fallback?.reason).toBe('shader compile failed');
    expect(notices()).toEqual(['rerunning-after-webgpu-failed', 'rerun-after-webgpu-failed']);
    expectRequestUnchanged(workers);

    const later = setUp(
      loadsSucceed((_worker, index) =>
        index === 0 ? { result: answer('ok') } : failure('generation-failed', 'webgpu'),
      ),
    );
    await later.session.load(REQUEST);
    await later.session.run(RUN);
    expect((await rejection(later.session.run(RUN))).code).toBe('generation-failed');
    expect(later.workers).toHaveLength(1);
  });

  it('running out of memory in a run offers the smaller choice', async () => {
    const { session } = setUp(loadsSucceed(() => failure('out-of-memory', 'wasm')));
    await session.load({ ...REQUEST, dtypePreset: 'quality' });
    const error = await rejection(session.run(RUN));
    expect(error.error.smallerChoice).toEqual({ modelId: 'onnx-community/Florence-2-base-ft', dtypePreset: 'auto' });
  });
});

describe('model session: crashes', () => {
  it('a crash during a run fails that run, then the model is restarted from this device', async () => {
    const { session, workers, notices } = setUp(
      loadsSucceed((worker) => (worker.index === 0 ? 'crash' : { result: answer('after') })),
    );
    await session.load(REQUEST);
    const error = await rejection(session.run(RUN));
    expect(error.code).toBe('worker-crashed');
    await flush();
    expect(session.state.status).toBe('ready');
    expect(notices()).toEqual(['restarting', 'restarted']);
    expect((await session.run(RUN)).rawText).toBe('after');
    expectRequestUnchanged(workers);
  });

  it('a crash while idle restarts the worker and reloads, keeping a move to WASM', async () => {
    const { session, workers, notices } = setUp((message, worker) =>
      message.kind === 'load-model' && worker.index === 0
        ? failure('model-load-failed', 'webgpu')
        : message.kind === 'load-model'
          ? { result: loadedOn(deviceOf(message), message.request) }
          : { result: answer('x') },
    );
    await session.load(REQUEST);
    workers[1]?.crash();
    await flush();
    expect(notices()).toEqual(['moving-to-wasm', 'restarting', 'restarted']);
    expect(workers).toHaveLength(3);
    expect(workers[2]?.loads()[0]?.deviceOverride).toBe('wasm');
    expect(session.state.model?.fallback).not.toBeNull();
  });

  it('a crash during a cancelled run: the run is cancelled, and the model still comes back', async () => {
    const { session, workers } = setUp(
      loadsSucceed((worker) => (worker.index === 0 ? 'hold' : { result: answer('x') })),
    );
    await session.load(REQUEST);
    const abort = new AbortController();
    const run = session.run(RUN, { signal: abort.signal });
    await flush();
    abort.abort();
    workers[0]?.crash();
    expect((await rejection(run)).code).toBe('cancelled');
    await flush();
    expect(workers).toHaveLength(2);
    expect(session.state.status).toBe('ready');
  });

  it('a crash during the restart is not retried again: the model is in error', async () => {
    const { session, workers } = setUp((message, worker) =>
      worker.index === 0 && message.kind === 'load-model' ? { result: loadedOn('wasm', message.request) } : 'crash',
    );
    await session.load(REQUEST);
    await rejection(session.run(RUN));
    await flush(5);
    expect(session.state.status).toBe('error');
    expect(session.state.error?.code).toBe('worker-crashed');
    expect(session.state.error?.message).toContain('again while it was being restarted');
    // The first worker and one restart: no third try.
    expect(workers).toHaveLength(2);
  });
});

describe('model session: recoveries that meet other events', () => {
  it('a fresh GPU worker that itself fails on WebGPU: the run ends on WASM and says so', async () => {
    const { session, notices } = setUp((message, worker) => {
      if (message.kind === 'run-task')
        return worker.index === 0 ? failure('gpu-device-lost', 'webgpu') : { result: answer('x') };
      if (worker.index === 1) return failure('model-load-failed', 'webgpu', 'adapter gone');
      return { result: loadedOn(deviceOf(message), message.request) };
    });
    await session.load(REQUEST);
    await session.run(RUN);
    expect(session.state.model?.plan.device).toBe('wasm');
    expect(notices()).toEqual(['rerunning-on-fresh-gpu', 'moving-to-wasm', 'rerun-on-wasm']);
  });

  it('cancelling a run while its recovery reloads the model: the run stops at once, the reload goes on', async () => {
    let releaseReload = () => {};
    const { session, workers } = setUp((message, worker) => {
      if (message.kind === 'run-task') return failure('gpu-device-lost', 'webgpu');
      if (worker.index === 1) {
        releaseReload = () => worker.deliver(message, { result: loadedOn('webgpu', message.request) });
        return 'hold';
      }
      return { result: loadedOn('webgpu', message.request) };
    });
    await session.load(REQUEST);
    const abort = new AbortController();
    const run = session.run(RUN, { signal: abort.signal });
    await flush();
    expect(workers).toHaveLength(2);
    abort.abort();
    expect((await rejection(run)).code).toBe('cancelled');
    expect(session.state.status).toBe('loading');
    releaseReload();
    await flush();
    expect(session.state.status).toBe('ready');
    expect(workers[1]?.runs()).toHaveLength(0);
  });

  it('a load asked for during a run’s recovery replaces it; the run says the model was reloaded', async () => {
    const { session, workers } = setUp((message, worker) => {
      if (message.kind === 'run-task') return failure('gpu-device-lost', 'webgpu');
      return worker.index === 1 ? 'hold' : { result: loadedOn(deviceOf(message), message.request) };
    });
    await session.load(REQUEST);
    const run = session.run(RUN);
    await flush();
    const newer = session.load({ ...REQUEST, devicePreference: 'wasm' });
    const error = await rejection(run);
    expect([error.code, error.message]).toEqual(['cancelled', 'The model was reloaded during the run.']);
    expect((await newer).plan.device).toBe('wasm');
    expect(workers).toHaveLength(3);
  });

  it('dispose during a repair: the load is closed and no worker is started afterwards', async () => {
    let finishDeleting = (_deleted: number) => {};
    const workers: FakeWorker[] = [];
    const session = createModelSession({
      createWorker: () => {
        const worker = new FakeWorker(workers.length, () => failure('damaged-model-files', 'wasm'));
        workers.push(worker);
        return worker;
      },
      deleteStoredModel: () =>
        new Promise<number>((resolve) => {
          finishDeleting = resolve;
        }),
    });
    const load = session.load(REQUEST);
    await flush();
    session.dispose();
    finishDeleting(3);
    expect((await rejection(load)).message).toBe('The model session was closed.');
    await flush();
    expect(workers).toHaveLength(1);
  });

  it('a full disk is passed on: the model runs, and says its files could not be kept', async () => {
    const { session } = setUp((message) =>
      message.kind === 'load-model'
        ? { result: { ...loadedOn('wasm', message.request), storageProblem: 'full-disk' } }
        : { result: answer('x') },
    );
    expect((await session.load(REQUEST)).storageProblem).toBe('full-disk');
  });

  it('a run waiting for a load when the session is closed says so', async () => {
    const { session } = setUp(() => 'hold');
    const load = session.load(REQUEST);
    const run = session.run(RUN);
    session.dispose();
    expect((await rejection(run)).message).toBe('The model session was closed.');
    await rejection(load);
  });
});

describe('model session: dispose', () => {
  it('an answer arriving after dispose is ignored; the run fails and nothing is announced', async () => {
    const { session, workers, events } = setUp(loadsSucceed(() => 'hold'));
    await session.load(REQUEST);
    const run = session.run(RUN);
    await flush();
    session.dispose();
    const eventsAtDispose = events.length;
    const worker = workers[0] as FakeWorker;
    expect(worker.terminated).toBe(true);
    const held = worker.runs()[0];
    if (held) worker.deliver(held, { result: answer('too late') });
    const error = await rejection(run);
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('The model session was closed.');
    await flush();
    expect(events).toHaveLength(eventsAtDispose);
    expect((await rejection(session.load(REQUEST))).message).toBe('The model session was closed.');
    expect((await rejection(session.run(RUN))).message).toBe('The model session was closed.');
  });

  it('dispose during a load rejects it', async () => {
    const { session } = setUp(() => 'hold');
    const load = session.load(REQUEST);
    session.dispose();
    expect((await rejection(load)).message).toBe('The model session was closed.');
  });
});
