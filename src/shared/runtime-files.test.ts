import { describe, expect, it } from 'vitest';
import { isRuntimeBuildUrl, renewedRuntimeUrls, runtimeBuildName } from './runtime-files';

const site = 'https://app.example/florence/assets';

describe('ONNX Runtime files kept for offline use', () => {
  it('names each build the same across versions, with or without a content hash', () => {
    expect(runtimeBuildName(`${site}/ort-wasm-simd-threaded-4byDm7i3.wasm`)).toBe('ort-wasm-simd-threaded');
    expect(runtimeBuildName(`${site}/ort-wasm-simd-threaded.jspi-CP6SXO_B.wasm`)).toBe('ort-wasm-simd-threaded.jspi');
    expect(runtimeBuildName(`${site}/ort-wasm-simd-threaded.asyncify-Cx-G5pUO.wasm`)).toBe(
      'ort-wasm-simd-threaded.asyncify',
    );
    expect(runtimeBuildName('/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jspi.wasm')).toBe(
      'ort-wasm-simd-threaded.jspi',
    );
  });

  it('does not take the runtime loader scripts or other files for builds', () => {
    expect(isRuntimeBuildUrl(`${site}/ort-wasm-simd-threaded.jspi-BoEwGRw5.mjs`)).toBe(false);
    expect(isRuntimeBuildUrl(`${site}/index-CaU0Qf-0.js`)).toBe(false);
    expect(isRuntimeBuildUrl('https://hub.example/model/onnx/decoder_model_merged.onnx')).toBe(false);
  });

  it('after an update, fetches the new files of exactly the builds this device kept', () => {
    const kept = [`${site}/ort-wasm-simd-threaded-OLDplain.wasm`, `${site}/ort-wasm-simd-threaded.jspi-OLDjspi1.wasm`];
    const current = [
      `${site}/ort-wasm-simd-threaded-NEWplain.wasm`,
      `${site}/ort-wasm-simd-threaded.jspi-NEWjspi1.wasm`,
      `${site}/ort-wasm-simd-threaded.asyncify-NEWasync.wasm`,
    ];
    expect(renewedRuntimeUrls(kept, current)).toEqual([current[0], current[1]]);
    // Unchanged files are already kept; a device that kept nothing fetches nothing.
    expect(renewedRuntimeUrls([current[0] as string], current)).toEqual([]);
    expect(renewedRuntimeUrls([], current)).toEqual([]);
  });
});
