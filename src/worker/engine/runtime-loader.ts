/**
 * Loads Florence-2 through transformers.js and onnxruntime-web for one device plan: the library
 * pointed at the model's host and this app's ONNX Runtime build, the three parts (model, processor,
 * tokenizer) loaded together, and on WebGPU the shaders compiled before the first real run.
 */
import { AutoProcessor, AutoTokenizer, env, Florence2ForConditionalGeneration } from '@huggingface/transformers';
import type { DevicePlan } from '../../shared/device/policy';
import { getTask } from '../../shared/florence/tasks';
import { type ModelSource, remoteLocation } from '../../shared/model-source';
import { type DecoderSession, fetchOnlyChangingOutputs } from './decoder-outputs';
import { generateFromFeatures, SessionTimer } from './generation';
import { ImageFeatureCache, imageFeaturesFor } from './image-features';
import { mostTellingFailure, reportingUnreachableHost } from './load-errors';
import type { ModelFileCache } from './model-file-cache';
import { configureOnnxRuntime } from './onnx-runtime';
import type { Runtime } from './runtime';

/** Progress events from transformers.js, narrowed to what is used here. */
export type LibraryProgress = { status: string; file?: string; loaded?: number; total?: number };

export interface RuntimeRequest {
  readonly source: ModelSource;
  readonly plan: DevicePlan;
  /** The benchmark's yardstick: every decoder output fetched at every step (see ModelLoadRequest). */
  readonly referenceDemo: boolean;
  readonly fileCache: ModelFileCache;
  readonly onLibraryProgress: (event: LibraryProgress) => void;
  /** Called when loading moves on to compiling WebGPU shaders. */
  readonly onWarmUp: () => void;
}

/** A loaded model, with what the engine needs to know about the runtime underneath. */
export interface ModelRuntime extends Runtime {
  /** The plan as it was carried out: the runtime build and the threads ONNX Runtime really started. */
  readonly plan: DevicePlan;
  readonly timer: SessionTimer;
  /** ONNX Runtime's WebGPU device, on WebGPU. */
  readonly gpuDevice: GPUDevice | null;
  /** Set once the browser reports the GPU device lost. */
  gpuDeviceLost(): string | null;
  dispose(): Promise<void>;
}

/** What loads a model for a plan; the worker's entry may wrap it (simulated faults). */
export type RuntimeLoader = (request: RuntimeRequest) => Promise<ModelRuntime>;

export const loadTransformersRuntime: RuntimeLoader = async (request) => {
  const { plan } = request;
  configureLibrary(request);
  const wasmFlags = env.backends.onnx.wasm ?? {};
  // The runtime build is fixed by the worker's first load.
  const runtimeBuild = configureOnnxRuntime(wasmFlags, plan.runtime, plan.wasmThreads);
  const location = remoteLocation(request.source);
  const progress_callback = request.onLibraryProgress;
  const [model, processor, tokenizer] = await Promise.allSettled([
    Florence2ForConditionalGeneration.from_pretrained(location.modelId, {
      device: plan.device,
      // transformers.js 4.3 looks the encoder's dtype up under its session key ('model') when it
      // lists files for progress; without it that probe asks the host for a q8 file it never uses.
      dtype: { ...plan.dtypes, model: plan.dtypes.encoder_model },
      progress_callback,
    }),
    AutoProcessor.from_pretrained(location.modelId, { progress_callback }),
    AutoTokenizer.from_pretrained(location.modelId, { progress_callback }),
  ]);
  if (model.status === 'rejected' || processor.status === 'rejected' || tokenizer.status === 'rejected') {
    if (model.status === 'fulfilled') await model.value.dispose().catch(() => {});
    throw mostTellingFailure(
      [model, processor, tokenizer].flatMap((part) => (part.status === 'rejected' ? [part.reason] : [])),
    );
  }
  const florence = model.value as Florence2ForConditionalGeneration;
  const decoder = (florence as unknown as { sessions: Record<string, DecoderSession> }).sessions.decoder_model_merged;
  if (decoder && !request.referenceDemo) fetchOnlyChangingOutputs(decoder);
  const runtime = { model: florence, processor: processor.value, tokenizer: tokenizer.value };
  const timer = new SessionTimer(florence);
  let gpuDevice: GPUDevice | null = null;
  let gpuDeviceLost: string | null = null;
  if (plan.device === 'webgpu') {
    request.onWarmUp();
    try {
      // The first WebGPU run compiles shaders; do it now so the person's first run is not slow.
      await warmUp(runtime, timer);
      gpuDevice = (await env.backends.onnx.webgpu?.device) ?? null;
    } catch (error) {
      await florence.dispose().catch(() => {});
      throw error;
    }
    void gpuDevice?.lost.then((info) => {
      gpuDeviceLost = `GPU device lost (${info.reason}): ${info.message}`;
    });
  }
  return {
    ...runtime,
    // ONNX Runtime writes back the threads it really starts: one where the page is not cross-origin
    // isolated (a first visit on a host without COOP/COEP headers).
    plan: { ...plan, runtime: runtimeBuild, wasmThreads: wasmFlags.numThreads ?? plan.wasmThreads },
    timer,
    gpuDevice,
    gpuDeviceLost: () => gpuDeviceLost,
    dispose: async () => {
      await florence.dispose().catch(() => {});
    },
  };
};

async function warmUp(runtime: Runtime, timer: SessionTimer): Promise<void> {
  const canvas = new OffscreenCanvas(32, 32);
  canvas.getContext('2d')?.fillRect(0, 0, 32, 32);
  const blank = await canvas.convertToBlob({ type: 'image/png' });
  const cache = new ImageFeatureCache(0);
  const { features } = await imageFeaturesFor(runtime, cache, blank, false);
  await generateFromFeatures(runtime, timer, {
    imageFeatures: features,
    prompt: getTask('<CAPTION>').prompt,
    // Two steps with beams, each with a row per beam: the shapes every run uses.
    maxNewTokens: 2,
    quality: 'best',
    device: 'webgpu',
    signal: new AbortController().signal,
  });
  features.dispose();
}

const libraryFetch = reportingUnreachableHost((input, init) => fetch(input, init));

function configureLibrary(request: RuntimeRequest): void {
  const location = remoteLocation(request.source);
  env.useCustomCache = true;
  env.customCache = request.fileCache;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = location.remoteHost;
  env.remotePathTemplate = location.remotePathTemplate;
  // A host that gives no answer at all is named in the error (load-errors.ts).
  env.fetch = libraryFetch;
  // The service worker keeps ONNX Runtime's files for offline use; a second copy in the Cache API
  // would only cost storage, and loading the runtime from a blob: URL would need a looser CSP.
  env.useWasmCache = false;
}
