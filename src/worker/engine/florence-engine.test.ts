/**
 * The engine with fake parts (no model library): which plan it loads, what its failures carry, and
 * the simulated faults' wrapping of those parts.
 */
import { describe, expect, it } from 'vitest';
import { type DevicePlan, TYPICAL_WASM_DEVICE } from '../../shared/device/policy';
import type { ModelLoadRequest } from '../../shared/protocol';
import { withSimulatedFault } from '../simulated-faults';
import type { DecoderSession } from './decoder-outputs';
import { EngineError } from './engine';
import { type EngineParts, FlorenceEngine } from './florence-engine';
import type { FileStore } from './model-file-cache';
import type { ModelRuntime, RuntimeRequest } from './runtime-loader';

const WITH_WEBGPU = { ...TYPICAL_WASM_DEVICE, webgpu: { shaderF16: false, adapterName: 'test GPU' } };
const REQUEST: ModelLoadRequest = {
  source: { kind: 'url', baseUrl: 'http://127.0.0.1:4181/florence2-tiny/' },
  devicePreference: 'auto',
  dtypePreset: 'auto',
};

function fakeRuntime(plan: DevicePlan): ModelRuntime {
  return {
    plan,
    gpuDevice: null,
    gpuDeviceLost: () => null,
    dispose: async () => {},
  } as unknown as ModelRuntime;
}

/** Parts whose runtime loader records what it was asked for and stores one file. */
function fakeParts(store: FileStore) {
  const asked: RuntimeRequest[] = [];
  const parts: EngineParts = {
    probeCapabilities: async () => WITH_WEBGPU,
    loadRuntime: async (request) => {
      asked.push(request);
      await request.fileCache
        .put('http://127.0.0.1:4181/florence2-tiny/config.json', new Response('{}'))
        .catch(() => {});
      return fakeRuntime(request.plan);
    },
    openFileStore: async () => store,
    keepRuntimeFiles: () => {},
  };
  return { parts, asked };
}

const memoryStore = (): FileStore => ({ match: async () => undefined, put: async () => {} }) as unknown as FileStore;

describe('FlorenceEngine', () => {
  it('loads the plan the policy picks, or the device a recovery asked for, with the threads requested', async () => {
    const { parts, asked } = fakeParts(memoryStore());
    const engine = new FlorenceEngine(parts);
    const onWebgpu = await engine.load(REQUEST, undefined, () => {});
    expect(onWebgpu.plan.device).toBe('webgpu');
    const onWasm = await engine.load({ ...REQUEST, wasmThreads: 1 }, 'wasm', () => {});
    expect(onWasm.plan.device).toBe('wasm');
    expect(asked.map((request) => [request.plan.device, request.plan.wasmThreads])).toEqual([
      ['webgpu', 2],
      ['wasm', 1],
    ]);
    expect(onWasm.storageProblem).toBeNull();
  });

  it('a load failure carries the device it was tried on', async () => {
    const { parts } = fakeParts(memoryStore());
    const engine = new FlorenceEngine({
      ...parts,
      loadRuntime: async () => {
        throw new Error("Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: no kernel for GroupQueryAttention");
      },
    });
    const error = await engine.load(REQUEST, undefined, () => {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect([(error as EngineError).code, (error as EngineError).device]).toEqual(['model-load-failed', 'webgpu']);
  });

  it('refuses a run before a model is loaded', async () => {
    const engine = new FlorenceEngine(fakeParts(memoryStore()).parts);
    const error = await engine
      .run({ task: '<CAPTION>', taskInput: '', image: new Blob(['x']) }, new AbortController().signal, () => {})
      .catch((caught: unknown) => caught);
    expect((error as EngineError).code).toBe('not-loaded');
  });
});

describe('simulated faults wrap the engine’s parts', () => {
  it('out-of-memory: the load meets V8’s allocation error and is reported as such', async () => {
    const engine = new FlorenceEngine(withSimulatedFault(fakeParts(memoryStore()).parts, 'out-of-memory'));
    const error = (await engine.load(REQUEST, 'wasm', () => {}).catch((caught: unknown) => caught)) as EngineError;
    expect([error.code, error.detail, error.device]).toEqual([
      'out-of-memory',
      'Array buffer allocation failed',
      'wasm',
    ]);
  });

  it('webgpu-load: only a WebGPU load fails', async () => {
    const engine = new FlorenceEngine(withSimulatedFault(fakeParts(memoryStore()).parts, 'webgpu-load'));
    const error = (await engine.load(REQUEST, undefined, () => {}).catch((caught: unknown) => caught)) as EngineError;
    expect([error.code, error.device, error.detail]).toEqual([
      'model-load-failed',
      'webgpu',
      'Simulated WebGPU failure while loading',
    ]);
    expect((await engine.load(REQUEST, 'wasm', () => {})).plan.device).toBe('wasm');
  });

  it('full-disk: storing a file fails as on a full disk, and the load says the files were not kept', async () => {
    const engine = new FlorenceEngine(withSimulatedFault(fakeParts(memoryStore()).parts, 'full-disk'));
    expect((await engine.load(REQUEST, 'wasm', () => {})).storageProblem).toBe('full-disk');
  });

  /** A runtime whose decoder records its steps, on a device whose destruction is recorded. */
  async function faultyRuntime(fault: 'webgpu-first-run' | 'webgpu-device-lost' | 'webgpu-device-lost-always') {
    const destroyed: number[] = [];
    let runs = 0;
    const parts: EngineParts = {
      ...fakeParts(memoryStore()).parts,
      loadRuntime: async (request) =>
        ({
          ...fakeRuntime(request.plan),
          gpuDevice: { destroy: () => destroyed.push(runs) },
          model: {
            sessions: {
              decoder_model_merged: {
                outputNames: ['logits'],
                run: async (feeds: Record<string, { data?: unknown }>) => {
                  if ((feeds.use_cache_branch?.data as Uint8Array | undefined)?.[0] === 0) runs++;
                  return 'done';
                },
              },
            },
          },
        }) as unknown as ModelRuntime,
    };
    const wrapped = withSimulatedFault(parts, fault);
    const load = (device: 'webgpu' | 'wasm') =>
      wrapped.loadRuntime({
        plan: { device } as DevicePlan,
      } as RuntimeRequest);
    /** One answer: the first step without a cache, then two with it. */
    const generate = async (runtime: ModelRuntime) => {
      const decoder = (runtime.model as unknown as { sessions: Record<string, DecoderSession> }).sessions
        .decoder_model_merged;
      const step = (cached: boolean) => decoder?.run({ use_cache_branch: { data: Uint8Array.of(cached ? 1 : 0) } });
      const first = await step(false);
      await step(true);
      await step(true);
      return first;
    };
    return { load, generate, destroyed };
  }

  it('webgpu-first-run: the first run after loading on WebGPU fails, later ones and WASM do not', async () => {
    const { load, generate } = await faultyRuntime('webgpu-first-run');
    const onWebgpu = await load('webgpu');
    await expect(generate(onWebgpu)).rejects.toThrow('Simulated WebGPU failure on the first run');
    await expect(generate(onWebgpu)).resolves.toBe('done');
    await expect(generate(await load('wasm'))).resolves.toBe('done');
  });

  it('webgpu-device-lost: the real device is destroyed at the first token of the second run; -always, of every run', async () => {
    const once = await faultyRuntime('webgpu-device-lost');
    const runtime = await once.load('webgpu');
    for (let run = 0; run < 3; run++) await once.generate(runtime);
    expect(once.destroyed).toEqual([2]);

    const always = await faultyRuntime('webgpu-device-lost-always');
    const onWebgpu = await always.load('webgpu');
    await always.generate(onWebgpu);
    await always.generate(onWebgpu);
    await always.generate(await always.load('wasm'));
    expect(always.destroyed).toEqual([1, 2]);
  });
});
