import { describe, expect, it } from 'vitest';
import { chooseDevicePlan, modelFileName } from './policy';

const webgpuWithF16 = { webgpu: { shaderF16: true, adapterName: 'GPU' } };
const webgpuWithoutF16 = { webgpu: { shaderF16: false, adapterName: 'SwiftShader' } };
const noWebgpu = { webgpu: null };

describe('device and dtype policy', () => {
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

  it('falls back to WASM when there is no adapter, and never picks fp16 there', () => {
    for (const preference of ['auto', 'webgpu', 'wasm'] as const) {
      const plan = chooseDevicePlan(noWebgpu, preference);
      expect(plan.device).toBe('wasm');
      expect(Object.values(plan.dtypes)).not.toContain('fp16');
      expect(Object.values(plan.dtypes)).not.toContain('q4f16');
    }
    expect(chooseDevicePlan(noWebgpu, 'webgpu').reason).toMatch(/no WebGPU adapter/);
  });

  it('honours a forced WASM choice even when WebGPU exists', () => {
    const plan = chooseDevicePlan(webgpuWithF16, 'wasm');
    expect(plan.device).toBe('wasm');
    expect(plan.dtypes.embed_tokens).toBe('fp32');
  });

  it('names the files each dtype loads', () => {
    expect(modelFileName('decoder_model_merged', 'q4')).toBe('onnx/decoder_model_merged_q4.onnx');
    expect(modelFileName('embed_tokens', 'fp32')).toBe('onnx/embed_tokens.onnx');
    expect(modelFileName('vision_encoder', 'q8')).toBe('onnx/vision_encoder_quantized.onnx');
  });
});
