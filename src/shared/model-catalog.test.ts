import { describe, expect, it } from 'vitest';
import { chooseDevicePlan, TYPICAL_WASM_DEVICE } from './device/policy';
import { knownDownloadBytes, modelFilesFor, smallerChoice } from './model-catalog';

const wasm = (preset: 'auto' | 'smallest' | 'quality') => chooseDevicePlan(TYPICAL_WASM_DEVICE, 'auto', preset).dtypes;
const f16Gpu = chooseDevicePlan(
  { ...TYPICAL_WASM_DEVICE, webgpu: { shaderF16: true, adapterName: '' } },
  'auto',
).dtypes;

describe('model catalogue', () => {
  it('lists the config files and one ONNX file per sub-model', () => {
    expect(modelFilesFor(wasm('auto'))).toEqual([
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/embed_tokens_quantized.onnx',
      'onnx/vision_encoder.onnx',
      'onnx/encoder_model_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
    ]);
  });

  it('gives the published sizes of Florence-2-base for each preset', () => {
    const mb = (bytes: number | null) => (bytes === null ? null : Math.round(bytes / 1e5) / 10);
    // 39.4 + 367 + 43.7 + 98.2 + 3.5 (configs)
    expect(mb(knownDownloadBytes('onnx-community/Florence-2-base-ft', wasm('auto')))).toBe(551.8);
    // A device with little memory: 39.4 + 93.7 + 43.7 + 98.2 + 3.5
    const littleMemory = chooseDevicePlan({ ...TYPICAL_WASM_DEVICE, deviceMemoryGb: 2 }, 'auto').dtypes;
    expect(mb(knownDownloadBytes('onnx-community/Florence-2-base-ft', littleMemory))).toBe(278.5);
    // 78.8 + 184 + 30.1 + 64.4 + 3.5: the reference demo's 357 MB of weights, plus configs
    expect(mb(knownDownloadBytes('onnx-community/Florence-2-base', f16Gpu))).toBe(360.8);
    // 39.4 + 81.2 + 30.1 + 64.4 + 3.5
    expect(mb(knownDownloadBytes('onnx-community/Florence-2-base-ft', wasm('smallest')))).toBe(218.6);
    // 158 + 367 + 173 + 388 + 3.5
    expect(mb(knownDownloadBytes('onnx-community/Florence-2-base-ft', wasm('quality')))).toBe(1089.5);
  });

  it('does not guess sizes it does not know', () => {
    expect(knownDownloadBytes('onnx-community/Florence-2-large-ft', wasm('auto'))).toBeNull();
    expect(knownDownloadBytes('someone/else', wasm('auto'))).toBeNull();
  });
});

describe('smallerChoice', () => {
  it('steps down the weights first, then from large to base', () => {
    const largeFt = 'onnx-community/Florence-2-large-ft';
    expect(smallerChoice({ modelId: largeFt, dtypePreset: 'quality' })).toMatchObject({
      modelId: largeFt,
      dtypePreset: 'auto',
    });
    expect(smallerChoice({ modelId: largeFt, dtypePreset: 'auto' })).toMatchObject({
      modelId: largeFt,
      dtypePreset: 'smallest',
      description: 'the same model with the smallest download',
    });
    expect(smallerChoice({ modelId: largeFt, dtypePreset: 'smallest' })).toEqual({
      modelId: 'onnx-community/Florence-2-base-ft',
      dtypePreset: 'smallest',
      description: 'Florence-2 base, fine-tuned (0.23 B) with the smallest download (about 218.6 MB)',
    });
  });

  it('sizes the weights a preset means on this device', () => {
    const onWebgpuWithF16 = (preset: 'auto' | 'smallest' | 'quality') =>
      chooseDevicePlan({ ...TYPICAL_WASM_DEVICE, webgpu: { shaderF16: true, adapterName: 'test GPU' } }, 'auto', preset)
        .dtypes;
    // fp16 embeddings and vision encoder: 78.8 + 184 + 30.1 + 64.4 + 3.5 MB.
    expect(
      smallerChoice({ modelId: 'onnx-community/Florence-2-base', dtypePreset: 'quality' }, onWebgpuWithF16)
        ?.description,
    ).toBe('the same model with the recommended weights (about 360.8 MB)');
  });

  it('names the size where it is published', () => {
    expect(smallerChoice({ modelId: 'onnx-community/Florence-2-base', dtypePreset: 'quality' })?.description).toBe(
      'the same model with the recommended weights (about 551.8 MB)',
    );
  });

  it('has nothing smaller than base with the smallest weights, and steps a folder URL by weights only', () => {
    expect(smallerChoice({ modelId: 'onnx-community/Florence-2-base', dtypePreset: 'smallest' })).toBeNull();
    expect(smallerChoice({ modelId: null, dtypePreset: 'auto' })).toEqual({
      modelId: null,
      dtypePreset: 'smallest',
      description: 'the same model with the smallest download',
    });
    expect(smallerChoice({ modelId: null, dtypePreset: 'smallest' })).toBeNull();
  });
});
