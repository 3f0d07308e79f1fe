/**
 * Measures one sub-model file on the app's own ONNX Runtime setup (the same build choice and thread
 * flags, from the engine's module). The file is put in the Cache API first and loaded from there, as
 * the app loads a model that is already on the device.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { configureOnnxRuntime } from '../../../../src/worker/engine/onnx-runtime';
import { type OrtApi, probeSubModel } from '../sub-model-probe';
import type { SweepRequest, SweepResponse } from './protocol';

const CACHE = 'sweep-model-files';

/** Every cache output of a decoder of up to 12 layers (base has 6, large 12); logits come back to the CPU. */
function cacheOnGpu(): Record<string, 'gpu-buffer'> {
  const locations: Record<string, 'gpu-buffer'> = {};
  for (let layer = 0; layer < 12; layer++) {
    for (const half of ['decoder', 'encoder']) {
      for (const part of ['key', 'value']) locations[`present.${layer}.${half}.${part}`] = 'gpu-buffer';
    }
  }
  return locations;
}

async function measure(request: SweepRequest): Promise<SweepResponse> {
  const build = configureOnnxRuntime(ort.env.wasm, request.build, request.threads);
  const cache = await caches.open(CACHE);
  const downloaded = await fetch(request.fileUrl);
  if (!downloaded.ok) throw new Error(`${request.fileUrl}: HTTP ${downloaded.status}`);
  await cache.put(request.fileUrl, downloaded);
  const loadStarted = performance.now();
  const stored = await cache.match(request.fileUrl);
  if (!stored) throw new Error('The file was not kept in the cache');
  const bytes = new Uint8Array(await stored.arrayBuffer());
  const readMs = performance.now() - loadStarted;
  const webgpu = request.device === 'webgpu';
  const result = await probeSubModel(ort as unknown as OrtApi, bytes, {
    subModel: request.subModel,
    calls: request.calls,
    sessionOptions: {
      executionProviders: [webgpu ? 'webgpu' : 'wasm'],
      logSeverityLevel: 3,
      // As transformers.js does on WebGPU: the decoder's cache stays on the GPU between steps.
      ...(webgpu && request.subModel === 'decoder_model_merged' ? { preferredOutputLocation: cacheOnGpu() } : {}),
    },
  });
  await caches.delete(CACHE);
  return { ok: true, build, fileBytes: bytes.byteLength, ...result, createMs: readMs + result.createMs };
}

self.onmessage = (event: MessageEvent<SweepRequest>) => {
  measure(event.data).then(
    (response) => self.postMessage(response),
    (error: unknown) => self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
};
