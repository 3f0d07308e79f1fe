import { type DevicePreference, DTYPE_PRESETS, type DtypePreset } from '../../shared/device/policy';
import { isSimulatedFault, type SimulatedFault } from '../../shared/simulated-faults';

export interface UrlSettings {
  readonly modelSourceText: string | null;
  readonly devicePreference: DevicePreference | null;
  readonly dtypePreset: DtypePreset | null;
  /** Benchmark settings: `?threads=N` and `?reference-demo=1` (the yardstick: see ModelLoadRequest). */
  readonly wasmThreads: number | undefined;
  readonly referenceDemo: boolean;
  /** `?test-hooks=1`: `window.florenceTestHooks` for the e2e tests and the benchmark (page/test-hooks.ts). */
  readonly testHooks: boolean;
  /**
   * With the test hooks, `?input-pixels=1`: each run also summarises the pixels the model was given
   * (a pass over the image the benchmark must not pay for).
   */
  readonly inputPixels: boolean;
  /** Test hook: `?fault=` one of `SimulatedFault`. */
  readonly simulatedFault: SimulatedFault | undefined;
}

const DEVICE_PREFERENCES: readonly DevicePreference[] = ['auto', 'webgpu', 'wasm'];

export function readUrlSettings(search: string): UrlSettings {
  const params = new URLSearchParams(search);
  const device = params.get('device');
  const fault = params.get('fault');
  const dtype = params.get('dtype');
  return {
    modelSourceText: params.get('model'),
    devicePreference: DEVICE_PREFERENCES.find((value) => value === device) ?? null,
    dtypePreset: DTYPE_PRESETS.find((value) => value === dtype) ?? null,
    simulatedFault: isSimulatedFault(fault) ? fault : undefined,
    wasmThreads: Number(params.get('threads')) > 0 ? Number(params.get('threads')) : undefined,
    referenceDemo: params.get('reference-demo') === '1',
    testHooks: params.get('test-hooks') === '1',
    inputPixels: params.get('test-hooks') === '1' && params.get('input-pixels') === '1',
  };
}
