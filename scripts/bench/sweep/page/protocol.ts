import type { RuntimeBuild, SubModel } from '../../../../src/shared/device/policy';
import type { ProbeResult } from '../sub-model-probe';

export interface SweepRequest {
  readonly fileUrl: string;
  readonly subModel: SubModel;
  readonly device: 'wasm' | 'webgpu';
  readonly build: RuntimeBuild;
  readonly threads: number;
  readonly calls: number;
}

export type SweepResponse =
  | ({ readonly ok: true; readonly build: RuntimeBuild; readonly fileBytes: number } & ProbeResult)
  | { readonly ok: false; readonly error: string };
