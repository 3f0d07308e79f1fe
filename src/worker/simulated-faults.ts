/**
 * Test-only: the engine's parts with one failure built in (see src/shared/simulated-faults.ts).
 * Applied only at the worker's entry, so the engine, the runtime and the page run their real code
 * around the failure.
 */
import type { SimulatedFault } from '../shared/simulated-faults';
import type { EngineParts } from './engine/florence-engine';
import type { ModelRuntime, RuntimeLoader } from './engine/runtime-loader';

interface GenerateOptions {
  readonly streamer?: { put(value: bigint[][]): void };
}
type Generate = (options: GenerateOptions) => Promise<unknown>;

/** Wraps the model's generate call; `call` counts the runs since loading (the warm-up is not one). */
function aroundGenerate(
  loadRuntime: RuntimeLoader,
  around: (runtime: ModelRuntime, call: number, options: GenerateOptions, generate: Generate) => Promise<unknown>,
): RuntimeLoader {
  return async (request) => {
    const runtime = await loadRuntime(request);
    const model = runtime.model as unknown as { generate: Generate };
    const generate = model.generate.bind(model);
    let calls = 0;
    model.generate = (options) => around(runtime, ++calls, options, generate);
    return runtime;
  };
}

/** Destroys ONNX Runtime's real GPU device when the run's first generated token arrives. */
function loseDeviceAtFirstToken(runtime: ModelRuntime, options: GenerateOptions): void {
  const streamer = options.streamer;
  if (!streamer || runtime.plan.device !== 'webgpu') return;
  const put = streamer.put.bind(streamer);
  let puts = 0;
  // The first put is the decoder's start token; the second, the first generated one.
  streamer.put = (value) => {
    if (++puts === 2) runtime.gpuDevice?.destroy();
    put(value);
  };
}

export function withSimulatedFault(parts: EngineParts, fault: SimulatedFault): EngineParts {
  switch (fault) {
    case 'out-of-memory':
      return {
        ...parts,
        // The error V8 gives when an allocation cannot be met. (A real one is not reproducible: how
        // much a browser will allocate depends on the machine and its overcommit policy.)
        loadRuntime: async () => {
          throw new RangeError('Array buffer allocation failed');
        },
      };
    case 'webgpu-load':
      return {
        ...parts,
        loadRuntime: async (request) => {
          if (request.plan.device === 'webgpu') throw new Error('Simulated WebGPU failure while loading');
          return parts.loadRuntime(request);
        },
      };
    case 'full-disk':
      return {
        ...parts,
        openFileStore: async () => {
          const store = await parts.openFileStore();
          return {
            match: (request, options) => store.match(request, options),
            put: async () => {
              throw new DOMException('Simulated full disk', 'QuotaExceededError');
            },
          };
        },
      };
    case 'webgpu-first-run':
      return {
        ...parts,
        loadRuntime: aroundGenerate(parts.loadRuntime, (runtime, call, options, generate) => {
          if (runtime.plan.device === 'webgpu' && call === 1) {
            return Promise.reject(new Error('Simulated WebGPU failure on the first run'));
          }
          return generate(options);
        }),
      };
    case 'webgpu-device-lost':
    case 'webgpu-device-lost-always':
      return {
        ...parts,
        loadRuntime: aroundGenerate(parts.loadRuntime, (runtime, call, options, generate) => {
          if (fault === 'webgpu-device-lost-always' || call === 2) loseDeviceAtFirstToken(runtime, options);
          return generate(options);
        }),
      };
  }
}
