/**
 * Test-only: the engine's parts with one failure built in (see src/shared/simulated-faults.ts).
 * Applied only at the worker's entry, so the engine, the runtime and the page run their real code
 * around the failure.
 */
import type { SimulatedFault } from '../shared/simulated-faults';
import { type DecoderSession, isCachedStep } from './engine/decoder-outputs';
import type { EngineParts } from './engine/florence-engine';
import type { FlorenceInternals } from './engine/runtime';
import type { ModelRuntime, RuntimeLoader } from './engine/runtime-loader';

type DecoderRun = DecoderSession['run'];

/**
 * Wraps the first decoder step of each run (the one without a cache); `call` counts the runs since
 * loading (the warm-up is not one).
 */
function aroundFirstDecoderStep(
  loadRuntime: RuntimeLoader,
  around: (runtime: ModelRuntime, call: number, firstStep: () => Promise<unknown>) => Promise<unknown>,
): RuntimeLoader {
  return async (request) => {
    const runtime = await loadRuntime(request);
    const decoder = (runtime.model as unknown as FlorenceInternals).sessions.decoder_model_merged as unknown as
      | DecoderSession
      | undefined;
    if (!decoder) return runtime;
    const run: DecoderRun = decoder.run.bind(decoder);
    let calls = 0;
    decoder.run = (feeds, ...rest) =>
      isCachedStep(feeds) ? run(feeds, ...rest) : around(runtime, ++calls, () => run(feeds, ...rest));
    return runtime;
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
        loadRuntime: aroundFirstDecoderStep(parts.loadRuntime, (runtime, call, firstStep) => {
          if (runtime.plan.device === 'webgpu' && call === 1) {
            return Promise.reject(new Error('Simulated WebGPU failure on the first run'));
          }
          return firstStep();
        }),
      };
    case 'webgpu-device-lost':
    case 'webgpu-device-lost-always':
      return {
        ...parts,
        // ONNX Runtime's real GPU device is destroyed once the run's first token is generated.
        loadRuntime: aroundFirstDecoderStep(parts.loadRuntime, async (runtime, call, firstStep) => {
          const output = await firstStep();
          if ((fault === 'webgpu-device-lost-always' || call === 2) && runtime.plan.device === 'webgpu') {
            runtime.gpuDevice?.destroy();
          }
          return output;
        }),
      };
  }
}
