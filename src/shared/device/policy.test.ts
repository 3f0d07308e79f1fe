import { describe, expect, it } from 'vitest';
import {
  chooseDevicePlan,
  type DeviceCapabilities,
  DTYPE_PRESETS,
  EVERY_DEVICE_KIND,
  modelFileName,
  referenceDemoPlan,
  TYPICAL_WASM_DEVICE,
  wasmThreadsFor,
} from './policy';

const noWebgpu: DeviceCapabilities = { webgpu: null, logicalCores: 2, deviceMemoryGb: 8, jspi: true };
const webgpuWithF16: DeviceCapabilities = { ...noWebgpu, webgpu: { shaderF16: true, adapterName: 'GPU' } };
const webgpuWithoutF16: DeviceCapabilities = { ...noWebgpu, webgpu: { shaderF16: false, adapterName: 'SwiftShader' } };

describe('device and dtype policy', () => {
  it('on WASM uses the 8-bit text encoder and decoder the sweep measured fastest, and the fp32 image encoder', () => {
    const plan = chooseDevicePlan(noWebgpu, 'auto');
    expect(plan.device).toBe('wasm');
    expect(plan.dtypes).toEqual({
      embed_tokens: 'q8',
      vision_encoder: 'fp32',
      encoder_model: 'q8',
      decoder_model_merged: 'q8',
    });
  });

  it('gives a device reporting 4 GB or less the 8-bit image encoder too', () => {
    for (const deviceMemoryGb of [0.5, 2, 4]) {
      expect(chooseDevicePlan({ ...noWebgpu, deviceMemoryGb }, 'auto').dtypes.vision_encoder).toBe('q8');
    }
    // 8 GB, or a browser that does not say (Firefox, Safari), keeps full precision.
    for (const deviceMemoryGb of [8, null]) {
      expect(chooseDevicePlan({ ...noWebgpu, deviceMemoryGb }, 'auto').dtypes.vision_encoder).toBe('fp32');
    }
    expect(
      chooseDevicePlan({ ...webgpuWithF16, deviceMemoryGb: 4 }, 'auto').dtypes.vision_encoder,
      'on WebGPU the lighter image encoder is the 4-bit one',
    ).toBe('q4');
  });

  it('leaves the smallest and highest-quality presets alone whatever the memory', () => {
    const little = { ...noWebgpu, deviceMemoryGb: 2 };
    expect(chooseDevicePlan(little, 'auto', 'quality').dtypes.vision_encoder).toBe('fp32');
    expect(chooseDevicePlan(little, 'auto', 'smallest').dtypes).toEqual(
      chooseDevicePlan(noWebgpu, 'auto', 'smallest').dtypes,
    );
  });

  it('uses WebGPU with fp16 embeddings and vision when the adapter has shader-f16', () => {
    const plan = chooseDevicePlan(webgpuWithF16, 'auto');
    expect(plan.device).toBe('webgpu');
    expect(plan.dtypes).toEqual({
      embed_tokens: 'fp16',
      vision_encoder: 'fp16',
      encoder_model: 'q4',
      decoder_model_merged: 'q4',
    });
  });

  it('keeps embeddings and vision in fp32 on WebGPU without shader-f16', () => {
    const plan = chooseDevicePlan(webgpuWithoutF16, 'auto');
    expect(plan.device).toBe('webgpu');
    expect(plan.dtypes.embed_tokens).toBe('fp32');
    expect(plan.dtypes.vision_encoder).toBe('fp32');
    expect(plan.dtypes.encoder_model).toBe('q4');
  });

  it('never picks half precision where it cannot run', () => {
    for (const capabilities of EVERY_DEVICE_KIND) {
      for (const preference of ['auto', 'webgpu', 'wasm'] as const) {
        for (const preset of DTYPE_PRESETS) {
          const plan = chooseDevicePlan(capabilities, preference, preset);
          if (plan.device === 'webgpu' && capabilities.webgpu?.shaderF16) continue;
          expect(Object.values(plan.dtypes)).not.toContain('fp16');
          expect(Object.values(plan.dtypes)).not.toContain('q4f16');
        }
      }
    }
  });

  it('falls back to WASM when there is no adapter, and says why', () => {
    for (const preference of ['auto', 'webgpu', 'wasm'] as const) {
      expect(chooseDevicePlan(noWebgpu, preference).device).toBe('wasm');
    }
    expect(chooseDevicePlan(noWebgpu, 'webgpu').reason).toMatch(/no WebGPU adapter/);
  });

  it('honours a forced WASM choice even when WebGPU exists', () => {
    const plan = chooseDevicePlan(webgpuWithF16, 'wasm');
    expect(plan.device).toBe('wasm');
    expect(plan.dtypes.decoder_model_merged).toBe('q8');
  });

  it('serves the smallest ONNX Runtime build with what the device needs', () => {
    expect(chooseDevicePlan(noWebgpu, 'auto').runtime).toBe('plain');
    expect(chooseDevicePlan(webgpuWithF16, 'wasm').runtime).toBe('plain');
    expect(chooseDevicePlan(webgpuWithF16, 'auto').runtime).toBe('jspi');
    expect(chooseDevicePlan({ ...webgpuWithF16, jspi: false }, 'auto').runtime).toBe('asyncify');
  });

  it('uses both cores of a dual-core device and ONNX Runtime’s own count above that', () => {
    expect([1, 2, 3, 4, 6, 8, 16].map(wasmThreadsFor)).toEqual([1, 2, 2, 2, 3, 4, 4]);
    expect(wasmThreadsFor(0)).toBe(1);
    expect(wasmThreadsFor(Number.NaN)).toBe(1);
    expect(chooseDevicePlan(noWebgpu, 'auto').wasmThreads).toBe(2);
  });

  it('keeps the benchmark yardstick as the reference demo runs it', () => {
    expect(referenceDemoPlan(TYPICAL_WASM_DEVICE)).toMatchObject({
      device: 'wasm',
      dtypes: { embed_tokens: 'fp32', vision_encoder: 'fp32', encoder_model: 'q4', decoder_model_merged: 'q4' },
      runtime: 'asyncify',
    });
    expect(referenceDemoPlan({ ...noWebgpu, logicalCores: 2 }).wasmThreads).toBe(1);
  });

  it('names the files each dtype loads', () => {
    expect(modelFileName('decoder_model_merged', 'q4')).toBe('onnx/decoder_model_merged_q4.onnx');
    expect(modelFileName('embed_tokens', 'fp32')).toBe('onnx/embed_tokens.onnx');
    expect(modelFileName('vision_encoder', 'q8')).toBe('onnx/vision_encoder_quantized.onnx');
  });
});
