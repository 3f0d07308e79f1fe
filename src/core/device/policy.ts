/**
 * Which execution device and which weight files each Florence-2 sub-model uses.
 * Pure: the worker probes the browser and passes what it found.
 */

export const SUB_MODELS = ['embed_tokens', 'vision_encoder', 'encoder_model', 'decoder_model_merged'] as const;
export type SubModel = (typeof SUB_MODELS)[number];

export type Device = 'webgpu' | 'wasm';
export type DevicePreference = 'auto' | Device;

/**
 * Which weights to download: the recommended mix for the device, the smallest files that run, or
 * full precision everywhere.
 */
export const DTYPE_PRESETS = ['auto', 'smallest', 'quality'] as const;
export type DtypePreset = (typeof DTYPE_PRESETS)[number];
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
export type DtypePlan = Readonly<Record<SubModel, Dtype>>;

export interface DevicePlan {
  readonly device: Device;
  readonly dtypes: DtypePlan;
  /** Why this device was chosen, in words a person can read in the status bar. */
  readonly reason: string;
}

/** What the worker found when it probed the browser. */
export interface DeviceCapabilities {
  /** null when `navigator.gpu` is missing or no adapter was granted. */
  readonly webgpu: { readonly shaderF16: boolean; readonly adapterName: string } | null;
}

export const DTYPE_FILE_SUFFIX: Readonly<Record<Dtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

// The encoder and decoder tolerate 4-bit weights; the embeddings and the vision tower lose accuracy
// when quantized, so they stay in floating point (fp16 only where the GPU computes in fp16 natively).
function webgpuDtypes(shaderF16: boolean): DtypePlan {
  const floatDtype: Dtype = shaderF16 ? 'fp16' : 'fp32';
  return { embed_tokens: floatDtype, vision_encoder: floatDtype, encoder_model: 'q4', decoder_model_merged: 'q4' };
}

// WASM has no fp16 kernels; 4-bit MatMulNBits runs on the CPU, so the same split as fp32 WebGPU.
const WASM_DTYPES: DtypePlan = {
  embed_tokens: 'fp32',
  vision_encoder: 'fp32',
  encoder_model: 'q4',
  decoder_model_merged: 'q4',
};

// 8-bit embeddings are a table lookup and lose little; the rest in 4 bits. Runs on both devices.
const SMALLEST_DTYPES: DtypePlan = {
  embed_tokens: 'q8',
  vision_encoder: 'q4',
  encoder_model: 'q4',
  decoder_model_merged: 'q4',
};

const FULL_PRECISION_DTYPES: DtypePlan = {
  embed_tokens: 'fp32',
  vision_encoder: 'fp32',
  encoder_model: 'fp32',
  decoder_model_merged: 'fp32',
};

export function dtypesFor(device: Device, preset: DtypePreset, shaderF16: boolean): DtypePlan {
  if (preset === 'smallest') return SMALLEST_DTYPES;
  if (preset === 'quality') return FULL_PRECISION_DTYPES;
  return device === 'webgpu' ? webgpuDtypes(shaderF16) : WASM_DTYPES;
}

export function wasmPlan(reason: string, preset: DtypePreset = 'auto'): DevicePlan {
  return { device: 'wasm', dtypes: dtypesFor('wasm', preset, false), reason };
}

export function chooseDevicePlan(
  capabilities: DeviceCapabilities,
  preference: DevicePreference,
  preset: DtypePreset = 'auto',
): DevicePlan {
  const { webgpu } = capabilities;
  if (preference === 'wasm') return wasmPlan('WASM chosen in settings', preset);
  if (webgpu) {
    const reason = preference === 'webgpu' ? 'WebGPU chosen in settings' : 'WebGPU available';
    return { device: 'webgpu', dtypes: dtypesFor('webgpu', preset, webgpu.shaderF16), reason };
  }
  return wasmPlan(
    preference === 'webgpu' ? 'WebGPU was chosen but this browser offers no WebGPU adapter' : 'No WebGPU adapter',
    preset,
  );
}

/** The ONNX file a sub-model loads for a dtype, relative to the model folder. */
export function modelFileName(subModel: SubModel, dtype: Dtype): string {
  return `onnx/${subModel}${DTYPE_FILE_SUFFIX[dtype]}.onnx`;
}
