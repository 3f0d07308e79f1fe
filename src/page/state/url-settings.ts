import { type DevicePreference, DTYPE_PRESETS, type DtypePreset } from '../../shared/device/policy';
import type { SimulatedFault } from '../../shared/protocol';

export interface UrlSettings {
  readonly modelSourceText: string | null;
  readonly devicePreference: DevicePreference | null;
  readonly dtypePreset: DtypePreset | null;
  /** Benchmark settings: `?threads=N` and `?reference-demo=1` (the yardstick: see LoadModelRequest). */
  readonly wasmThreads: number | undefined;
  readonly referenceDemo: boolean;
  /** `?bench=1` exposes the store to the benchmark driver. */
  readonly benchHooks: boolean;
  /** `?test-hooks=1` exposes fault triggers to the e2e tests. */
  readonly testHooks: boolean;
  /** Test hook: `?fault=` one of `SimulatedFault`. */
  readonly simulatedFault: SimulatedFault | undefined;
}

const DEVICE_PREFERENCES: readonly DevicePreference[] = ['auto', 'webgpu', 'wasm'];
const FAULTS: readonly SimulatedFault[] = [
  'webgpu-load',
  'webgpu-first-run',
  'webgpu-device-lost',
  'webgpu-device-lost-always',
  'out-of-memory',
  'full-disk',
];

export function readUrlSettings(search: string): UrlSettings {
  const params = new URLSearchParams(search);
  const device = params.get('device');
  const fault = params.get('fault');
  const dtype = params.get('dtype');
  return {
    modelSourceText: params.get('model'),
    devicePreference: DEVICE_PREFERENCES.find((value) => value === device) ?? null,
    dtypePreset: DTYPE_PRESETS.find((value) => value === dtype) ?? null,
    simulatedFault: FAULTS.find((value) => value === fault),
    wasmThreads: Number(params.get('threads')) > 0 ? Number(params.get('threads')) : undefined,
    referenceDemo: params.get('reference-demo') === '1',
    benchHooks: params.get('bench') === '1',
    testHooks: params.get('test-hooks') === '1',
  };
}
