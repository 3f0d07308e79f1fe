import type { DevicePreference } from '../core/device/policy';
import type { SimulatedFault } from '../worker/protocol';

export interface UrlSettings {
  readonly modelSourceText: string | null;
  readonly devicePreference: DevicePreference | null;
  /** Test hook: `?fault=webgpu-load` or `?fault=webgpu-first-run`. */
  readonly simulatedFault: SimulatedFault | undefined;
}

const DEVICE_PREFERENCES: readonly DevicePreference[] = ['auto', 'webgpu', 'wasm'];
const FAULTS: readonly SimulatedFault[] = ['webgpu-load', 'webgpu-first-run'];

export function readUrlSettings(search: string): UrlSettings {
  const params = new URLSearchParams(search);
  const device = params.get('device');
  const fault = params.get('fault');
  return {
    modelSourceText: params.get('model'),
    devicePreference: DEVICE_PREFERENCES.find((value) => value === device) ?? null,
    simulatedFault: FAULTS.find((value) => value === fault),
  };
}
