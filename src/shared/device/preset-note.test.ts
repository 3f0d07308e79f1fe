import { describe, expect, it } from 'vitest';
import { chooseDevicePlan, type DeviceCapabilities, type DtypePreset } from './policy';
import { presetNote } from './preset-note';

const cpu: DeviceCapabilities = { webgpu: null, logicalCores: 4, deviceMemoryGb: 8, jspi: true };
const note = (capabilities: DeviceCapabilities, preset: DtypePreset) =>
  presetNote(chooseDevicePlan(capabilities, 'auto', preset), preset, capabilities);

describe('preset notes', () => {
  it('says what the recommended WASM weights quantize, and that answers can change', () => {
    const recommended = note(cpu, 'auto');
    expect(recommended.summary).toBe('full precision image encoder; 8-bit text encoder, decoder and embeddings');
    expect(recommended.qualityWarning).toBe(
      'A quantized text encoder and decoder can change some answers; “Highest quality” uses full precision everywhere.',
    );
    expect(recommended.deviceNote).toBeNull();
  });

  it('explains the lighter image encoder on a device with little memory', () => {
    const little = note({ ...cpu, deviceMemoryGb: 2 }, 'auto');
    expect(little.summary).toBe('8-bit image encoder, text encoder, decoder and embeddings');
    expect(little.qualityWarning).toContain('image encoder, text encoder and decoder');
    expect(little.deviceNote).toBe(
      'This device reports 2 GB of memory, so the image encoder is quantized too, to fit.',
    );
  });

  it('warns that the smallest download decodes slowly without WebGPU, but not with it', () => {
    expect(note(cpu, 'smallest').deviceNote).toMatch(/4-bit decoder writes about 5x slower/);
    expect(note({ ...cpu, webgpu: { shaderF16: true, adapterName: 'GPU' } }, 'smallest').deviceNote).toBeNull();
  });

  it('has nothing to warn about at full precision, nor for half-precision embeddings', () => {
    const quality = note(cpu, 'quality');
    expect(quality.summary).toBe('full precision image encoder, text encoder, decoder and embeddings');
    expect(quality.qualityWarning).toBeNull();
    const gpu = note({ ...cpu, webgpu: { shaderF16: true, adapterName: 'GPU' } }, 'auto');
    expect(gpu.summary).toBe('half precision image encoder and embeddings; 4-bit text encoder and decoder');
    expect(gpu.qualityWarning).toBe(
      'A quantized text encoder and decoder can change some answers; “Highest quality” uses full precision everywhere.',
    );
  });
});
