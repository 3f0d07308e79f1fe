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

/**
 * ONNX Runtime Web's WebAssembly builds: 'plain' has only the CPU (WASM) kernels and is the smallest;
 * 'jspi' and 'asyncify' also carry the WebGPU execution provider, suspending for GPU work through
 * JavaScript Promise Integration or through the larger, slower asyncify transform.
 */
export type RuntimeBuild = 'plain' | 'jspi' | 'asyncify';

/** Download size of each build's .wasm file, bytes (onnxruntime-web 1.31). */
export const RUNTIME_BUILD_BYTES: Readonly<Record<RuntimeBuild, number>> = {
  plain: 14_264_838,
  jspi: 16_811_691,
  asyncify: 26_861_777,
};

export interface DevicePlan {
  readonly device: Device;
  readonly dtypes: DtypePlan;
  /** Why this device was chosen, in words a person can read in the status bar. */
  readonly reason: string;
  readonly runtime: RuntimeBuild;
  /** ONNX Runtime's WASM threads (the CPU kernels; on WebGPU, the operators that stay on the CPU). */
  readonly wasmThreads: number;
}

/** What the worker found when it probed the browser. */
export interface DeviceCapabilities {
  /** null when `navigator.gpu` is missing or no adapter was granted. */
  readonly webgpu: { readonly shaderF16: boolean; readonly adapterName: string } | null;
  /** `navigator.hardwareConcurrency`. */
  readonly logicalCores: number;
  /** `navigator.deviceMemory` in GB (Chromium only: a power of two from 0.25 to 8); null elsewhere. */
  readonly deviceMemoryGb: number | null;
  /** WebAssembly JavaScript Promise Integration (`WebAssembly.Suspending`). */
  readonly jspi: boolean;
}

/** A device without WebGPU and with no memory limit reported: what is assumed before probing. */
export const TYPICAL_WASM_DEVICE: DeviceCapabilities = {
  webgpu: null,
  logicalCores: 4,
  deviceMemoryGb: null,
  jspi: false,
};

/**
 * One device of each kind the policy tells apart (WebGPU with and without fp16, none; little memory
 * or not): every weight file the app may ask for is chosen for one of these.
 */
export const EVERY_DEVICE_KIND: readonly DeviceCapabilities[] = [
  null,
  { shaderF16: false, adapterName: '' },
  { shaderF16: true, adapterName: '' },
].flatMap((webgpu) => [2, null].map((deviceMemoryGb) => ({ ...TYPICAL_WASM_DEVICE, webgpu, deviceMemoryGb })));

export const DTYPE_FILE_SUFFIX: Readonly<Record<Dtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

/**
 * At or below this much reported memory (GB) the recommended weights are lighter. Chromium reports a
 * power of two from 0.25 to 8, rounded to the nearest (a 6 GB device reports 4); the recommended WASM
 * weights peak near 3.1 GB for the whole browser (npm run bench), too close to a 4 GB device's limit.
 */
export const LOW_MEMORY_GB = 4;

export function hasLittleMemory(capabilities: DeviceCapabilities): boolean {
  return capabilities.deviceMemoryGb !== null && capabilities.deviceMemoryGb <= LOW_MEMORY_GB;
}

// WebGPU (not measurable on these machines; kept as transformers.js's Florence-2 demo has it): 4-bit
// encoder and decoder, float embeddings and vision tower, fp16 where the GPU computes in fp16.
function webgpuDtypes(shaderF16: boolean, littleMemory: boolean): DtypePlan {
  const floatDtype: Dtype = shaderF16 ? 'fp16' : 'fp32';
  return {
    embed_tokens: floatDtype,
    // The vision tower is the largest file; a 4-bit copy is 4.5x smaller than fp32, 2.3x than fp16.
    vision_encoder: littleMemory ? 'q4' : floatDtype,
    encoder_model: 'q4',
    decoder_model_merged: 'q4',
  };
}

/**
 * WASM, from the dtype sweep (npm run bench -- --dtype-sweep, README): 8-bit (`_quantized`) text
 * encoder and decoder are the fastest on the CPU kernels, several times faster per token than 4-bit
 * (ONNX Runtime Web's MatMulNBits is slow) and smaller than fp32; 8-bit embeddings are a table lookup,
 * a quarter of the download. The vision tower stays fp32, as in the reference demo (Florence-2 is
 * known to be sensitive to quantizing its encoders), unless the device has little memory: its 8-bit
 * copy is also 1.5x faster.
 */
function wasmDtypes(littleMemory: boolean): DtypePlan {
  return {
    embed_tokens: 'q8',
    vision_encoder: littleMemory ? 'q8' : 'fp32',
    encoder_model: 'q8',
    decoder_model_merged: 'q8',
  };
}

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

export function dtypesFor(device: Device, preset: DtypePreset, capabilities: DeviceCapabilities): DtypePlan {
  if (preset === 'smallest') return SMALLEST_DTYPES;
  if (preset === 'quality') return FULL_PRECISION_DTYPES;
  const littleMemory = hasLittleMemory(capabilities);
  return device === 'webgpu'
    ? webgpuDtypes(capabilities.webgpu?.shaderF16 ?? false, littleMemory)
    : wasmDtypes(littleMemory);
}

/**
 * ONNX Runtime's own default is half the logical cores (at most 4), assuming two per physical core.
 * With two logical cores, both help: on 2 cores, 2 threads took 0.61x the time of 1 for a 4-task
 * session (npm run bench). More than 4 is not measured here, so ONNX Runtime's cap stays.
 */
export function wasmThreadsFor(logicalCores: number): number {
  const cores = coreCount(logicalCores);
  return cores <= 2 ? cores : onnxRuntimeDefaultThreads(cores);
}

/** `navigator.hardwareConcurrency` as a count: at least one, whatever the browser reports. */
function coreCount(logicalCores: number): number {
  return Math.max(1, Math.floor(logicalCores) || 1);
}

function onnxRuntimeDefaultThreads(logicalCores: number): number {
  return Math.min(4, Math.ceil(coreCount(logicalCores) / 2));
}

/** The smallest ONNX Runtime build that has what the device needs. */
export function runtimeBuildFor(device: Device, jspi: boolean): RuntimeBuild {
  if (device === 'wasm') return 'plain';
  return jspi ? 'jspi' : 'asyncify';
}

function devicePlan(capabilities: DeviceCapabilities, device: Device, preset: DtypePreset, reason: string): DevicePlan {
  return {
    device,
    dtypes: dtypesFor(device, preset, capabilities),
    reason,
    runtime: runtimeBuildFor(device, capabilities.jspi),
    wasmThreads: wasmThreadsFor(capabilities.logicalCores),
  };
}

/**
 * The benchmark's yardstick, transformers.js's Florence-2 demo on a device without WebGPU: its weights
 * (fp32 embeddings and vision encoder, 4-bit encoder and decoder), the asyncify build transformers.js
 * loads by default, and ONNX Runtime's own thread count.
 */
export function referenceDemoPlan(capabilities: DeviceCapabilities): DevicePlan {
  return {
    device: 'wasm',
    dtypes: { embed_tokens: 'fp32', vision_encoder: 'fp32', encoder_model: 'q4', decoder_model_merged: 'q4' },
    reason: "The reference demo's setup (benchmark yardstick)",
    runtime: 'asyncify',
    wasmThreads: onnxRuntimeDefaultThreads(capabilities.logicalCores),
  };
}

export function wasmPlan(capabilities: DeviceCapabilities, reason: string, preset: DtypePreset = 'auto'): DevicePlan {
  return devicePlan(capabilities, 'wasm', preset, reason);
}

export function chooseDevicePlan(
  capabilities: DeviceCapabilities,
  preference: DevicePreference,
  preset: DtypePreset = 'auto',
): DevicePlan {
  if (preference === 'wasm') return wasmPlan(capabilities, 'WASM chosen in settings', preset);
  if (capabilities.webgpu) {
    const reason = preference === 'webgpu' ? 'WebGPU chosen in settings' : 'WebGPU available';
    return devicePlan(capabilities, 'webgpu', preset, reason);
  }
  return wasmPlan(
    capabilities,
    preference === 'webgpu' ? 'WebGPU was chosen but this browser offers no WebGPU adapter' : 'No WebGPU adapter',
    preset,
  );
}

/** The ONNX file a sub-model loads for a dtype, relative to the model folder. */
export function modelFileName(subModel: SubModel, dtype: Dtype): string {
  return `onnx/${subModel}${DTYPE_FILE_SUFFIX[dtype]}.onnx`;
}
