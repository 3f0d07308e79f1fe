/**
 * The real engine: Florence-2 through transformers.js and onnxruntime-web, on WebGPU or WASM.
 */
import { AutoProcessor, AutoTokenizer, env, Florence2ForConditionalGeneration } from '@huggingface/transformers';
import { probeCapabilities } from '../../shared/device/capabilities';
import {
  chooseDevicePlan,
  type DeviceCapabilities,
  type DevicePlan,
  referenceDemoPlan,
  wasmPlan,
} from '../../shared/device/policy';
import type { FileProgress } from '../../shared/download-progress';
import { buildPrompt, getTask } from '../../shared/florence/tasks';
import { describeModelSource, modelFileUrl, remoteLocation } from '../../shared/model-source';
import type {
  DeviceFallback,
  LoadedModel,
  LoadModelRequest,
  LoadProgress,
  RunTaskRequest,
  SimulatedFault,
  TaskOutput,
} from '../../shared/protocol';
import { type DecoderSession, fetchOnlyChangingOutputs } from './decoder-outputs';
import { type Engine, EngineError, errorText, isOutOfMemory } from './engine';
import { generateAnswer, ImageFeatureCache, type Runtime, SessionTimer } from './generation';
import { keepRuntimeFiles } from './keep-runtime-files';
import { deleteCachedModel, ModelFileCache } from './model-file-cache';
import { configureOnnxRuntime, runtimeFilesToKeep } from './onnx-runtime';

interface LoadedRuntime extends Runtime {
  /** Image features by image content; they belong to this model, so they go with it. */
  readonly features: ImageFeatureCache;
  readonly timer: SessionTimer;
  info: LoadedModel;
  completedRuns: number;
}

const PROGRESS_INTERVAL_MS = 100;

// Progress events from transformers.js, narrowed to what is used here.
type LibraryProgress = { status: string; file?: string; loaded?: number; total?: number };

/** Errors ONNX Runtime or the JSON parser give for a file that is not what it should be. */
function looksLikeDamagedFile(error: unknown): boolean {
  const text = error instanceof EngineError ? `${error.message} ${error.detail ?? ''}` : errorText(error);
  return /protobuf|Failed to load model|invalid model|corrupt|Unexpected (token|end of JSON)|is not valid JSON/i.test(
    text,
  );
}

function classifyLoadError(error: unknown, source: string): EngineError {
  if (error instanceof EngineError) return error;
  const text = errorText(error);
  if (/Could not locate file|\b404\b/.test(text)) {
    return new EngineError('model-not-found', `The model files were not found at ${source}.`, text);
  }
  if (/Internal server error|Bad gateway|Service unavailable|Gateway timeout|Error \(5\d\d\)/i.test(text)) {
    return new EngineError(
      'network',
      `The model server at ${source} answered with an error. Try again in a moment.`,
      text,
    );
  }
  if (/Unauthorized|Forbidden/i.test(text)) {
    return new EngineError('model-not-found', `The model server at ${source} refused access to the files.`, text);
  }
  if (isOutOfMemory(text)) {
    return new EngineError('out-of-memory', 'There is not enough memory on this device to load this model.', text);
  }
  if (/Failed to fetch|NetworkError|Load failed|network/i.test(text)) {
    return new EngineError('network', 'The model could not be downloaded. Check the connection, then try again.', text);
  }
  return new EngineError('model-load-failed', 'The model could not be loaded.', text);
}

/**
 * The error to report when several loads fail together. With a missing folder, the tokenizer can
 * fail first with a TypeError about its absent configuration; the missing file is the real story.
 */
function mostTellingFailure(results: readonly PromiseSettledResult<unknown>[]): unknown {
  const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  return reasons.find((reason) => /Could not locate file|\b404\b/.test(errorText(reason))) ?? reasons[0];
}

/** Failures of the files themselves repeat on any device; only other failures justify a fallback. */
function isDeviceIndependent(error: EngineError): boolean {
  return error.code === 'model-not-found' || error.code === 'network';
}

class ProgressReporter {
  private readonly files = new Map<string, FileProgress>();
  private lastSent = 0;

  constructor(private readonly send: (progress: LoadProgress) => void) {}

  phase(phase: LoadProgress['phase']): void {
    this.send({ phase, files: [...this.files.values()] });
  }

  onLibraryProgress = (event: LibraryProgress): void => {
    const file = event.file;
    if (!file) return;
    const previous = this.files.get(file) ?? { file, loaded: 0, total: 0, done: false };
    let urgent = false;
    if (event.status === 'initiate') urgent = true;
    if (event.status === 'progress') {
      this.files.set(file, { ...previous, loaded: event.loaded ?? 0, total: event.total ?? 0 });
    } else if (event.status === 'done') {
      this.files.set(file, { ...previous, loaded: Math.max(previous.loaded, previous.total), done: true });
      urgent = true;
    } else {
      this.files.set(file, previous);
    }
    const now = performance.now();
    if (!urgent && now - this.lastSent < PROGRESS_INTERVAL_MS) return;
    this.lastSent = now;
    const files = [...this.files.values()];
    this.send({ phase: files.every((entry) => entry.done) ? 'compiling' : 'downloading', files });
  };
}

export class TransformersEngine implements Engine {
  private runtime: LoadedRuntime | null = null;
  private simulatedFault: SimulatedFault | undefined;
  private dtypePreset: LoadModelRequest['dtypePreset'] = 'auto';
  /** Set when the browser reports the WebGPU device lost (driver reset, GPU removed, memory pressure). */
  private gpuDeviceLost: string | null = null;
  private gpuDevice: GPUDevice | null = null;
  private capabilities: DeviceCapabilities | null = null;

  async load(request: LoadModelRequest, onProgress: (progress: LoadProgress) => void): Promise<LoadedModel> {
    const started = performance.now();
    this.simulatedFault = request.simulatedFault;
    this.dtypePreset = request.dtypePreset;
    const reporter = new ProgressReporter(onProgress);
    try {
      return await this.loadOnBestDevice(request, reporter, started);
    } catch (error) {
      // A damaged file kept from an earlier visit would fail every load: remove the model's stored
      // files. The page then loads again in a fresh worker, so no half-loaded state survives.
      const folder = modelFileUrl(request.source, '');
      if (!looksLikeDamagedFile(error) || (await deleteCachedModel(folder)) === 0) throw error;
      throw new EngineError(
        'damaged-model-files',
        'A damaged copy of the model on this device was removed; it will be downloaded again.',
        errorText(error instanceof EngineError ? (error.detail ?? error.message) : error),
      );
    }
  }

  private async loadOnBestDevice(
    request: LoadModelRequest,
    reporter: ProgressReporter,
    started: number,
  ): Promise<LoadedModel> {
    await this.dispose();
    reporter.phase('probing');
    const capabilities = await probeCapabilities(self);
    this.capabilities = capabilities;
    const plan = request.referenceDemo
      ? referenceDemoPlan(capabilities)
      : chooseDevicePlan(capabilities, request.devicePreference, request.dtypePreset);

    let fallback: DeviceFallback | null = null;
    if (plan.device === 'webgpu') {
      try {
        return await this.loadOn(request, plan, null, reporter, started);
      } catch (error) {
        const classified = classifyLoadError(error, describeModelSource(request.source));
        if (isDeviceIndependent(classified)) throw classified;
        fallback = { from: 'webgpu', reason: classified.detail ?? classified.message };
        await this.dispose();
      }
    }
    const wasm =
      plan.device === 'wasm'
        ? plan
        : wasmPlan(capabilities, 'WebGPU failed, so the model runs on WASM', request.dtypePreset);
    try {
      return await this.loadOn(request, wasm, fallback, reporter, started);
    } catch (error) {
      throw classifyLoadError(error, describeModelSource(request.source));
    }
  }

  private async loadOn(
    request: LoadModelRequest,
    choice: DevicePlan,
    fallback: DeviceFallback | null,
    reporter: ProgressReporter,
    started: number,
  ): Promise<LoadedModel> {
    const cache = configureLibrary(request);
    const wasmFlags = env.backends.onnx.wasm ?? {};
    const threads = request.wasmThreads ?? choice.wasmThreads;
    const runtimeBuild = configureOnnxRuntime(wasmFlags, choice.runtime, threads);
    // The runtime build is fixed by the worker's first load.
    const plan: DevicePlan = { ...choice, runtime: runtimeBuild, wasmThreads: threads };
    if (this.simulatedFault === 'out-of-memory') {
      // The error V8 gives when an allocation cannot be met. (A real one is not reproducible: how
      // much a browser will allocate depends on the machine and its overcommit policy.)
      throw new RangeError('Array buffer allocation failed');
    }
    const location = remoteLocation(request.source);
    const progress_callback = reporter.onLibraryProgress;
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
      throw mostTellingFailure([model, processor, tokenizer]);
    }
    const florence = model.value as Florence2ForConditionalGeneration;
    const decoder = (florence as unknown as { sessions: Record<string, DecoderSession> }).sessions.decoder_model_merged;
    if (decoder && !request.referenceDemo) fetchOnlyChangingOutputs(decoder);
    const loaded: LoadedRuntime = {
      model: florence,
      processor: processor.value,
      tokenizer: tokenizer.value,
      features: new ImageFeatureCache(request.referenceDemo ? 0 : undefined),
      timer: new SessionTimer(florence),
      info: { source: request.source, plan, fallback, loadMs: 0, storageProblem: null },
      completedRuns: 0,
    };
    this.runtime = loaded;
    if (plan.device === 'webgpu') {
      if (this.simulatedFault === 'webgpu-load') throw new Error('Simulated WebGPU failure while loading');
      reporter.phase('warming');
      // The first WebGPU run compiles shaders; do it now so the person's first run is not slow.
      await warmUp(loaded);
      await this.watchGpuDevice();
    }
    loaded.info = {
      ...loaded.info,
      // ONNX Runtime writes back the threads it really starts: one where the page is not
      // cross-origin isolated (a first visit on a host without COOP/COEP headers).
      plan: { ...plan, wasmThreads: wasmFlags.numThreads ?? threads },
      loadMs: performance.now() - started,
      storageProblem: cache.quotaExceeded ? 'full-disk' : null,
    };
    // For offline starts: the service worker keeps what it serves, but the page may not have been
    // under its control yet, and the plain build kept beside a WebGPU one is not served at all.
    void keepRuntimeFiles(runtimeFilesToKeep());
    return loaded.info;
  }

  async run(
    request: RunTaskRequest,
    signal: AbortSignal,
    onPartialAnswer: (rawText: string) => void,
  ): Promise<TaskOutput> {
    const runtime = this.runtime;
    if (!runtime) throw new EngineError('not-loaded', 'The model is not loaded yet.');
    try {
      const output = await this.generate(runtime, request, signal, onPartialAnswer);
      runtime.completedRuns++;
      return output;
    } catch (error) {
      if (signal.aborted || (error instanceof EngineError && error.code === 'cancelled')) throw error;
      if (
        runtime.info.plan.device === 'webgpu' &&
        (this.gpuDeviceLost || /device (is |was )?(lost|destroyed)/i.test(errorText(error)))
      ) {
        // ONNX Runtime keeps its first device for the life of the worker: a fresh device needs a
        // fresh worker, which the page starts before running the request again.
        throw new EngineError(
          'gpu-device-lost',
          'The graphics device was lost during the run.',
          this.gpuDeviceLost ?? errorText(error),
        );
      }
      if (error instanceof EngineError) throw error;
      if (isOutOfMemory(errorText(error))) {
        throw new EngineError(
          'out-of-memory',
          'There was not enough memory to answer. A smaller model choice needs less.',
          errorText(error),
        );
      }
      if (runtime.info.plan.device !== 'webgpu' || runtime.completedRuns > 0) {
        throw new EngineError('generation-failed', 'The model failed while answering.', errorText(error));
      }
      // WebGPU failed on its first real run: move to WASM once and answer there.
      const fallback: DeviceFallback = { from: 'webgpu', reason: errorText(error) };
      await this.dispose();
      const reporter = new ProgressReporter(() => {});
      const model = await this.loadOn(
        {
          kind: 'load-model',
          id: request.id,
          source: runtime.info.source,
          devicePreference: 'wasm',
          dtypePreset: this.dtypePreset,
        },
        wasmPlan(
          this.capabilities ?? (await probeCapabilities(self)),
          'WebGPU failed on the first run, so the model runs on WASM',
          this.dtypePreset,
        ),
        fallback,
        reporter,
        performance.now(),
      );
      const output = await this.generate(this.requireRuntime(), request, signal, onPartialAnswer);
      this.requireRuntime().completedRuns++;
      return { ...output, model };
    }
  }

  private requireRuntime(): LoadedRuntime {
    if (!this.runtime) throw new EngineError('not-loaded', 'The model is not loaded yet.');
    return this.runtime;
  }

  private async generate(
    runtime: LoadedRuntime,
    request: RunTaskRequest,
    signal: AbortSignal,
    onPartialAnswer: (rawText: string) => void,
  ): Promise<TaskOutput> {
    const fitted = fitInputToModel(runtime, request);
    const prompt = buildPrompt(request.task, fitted.input);
    if (
      runtime.info.plan.device === 'webgpu' &&
      runtime.completedRuns === 0 &&
      this.simulatedFault === 'webgpu-first-run'
    ) {
      throw new Error('Simulated WebGPU failure on the first run');
    }
    const loseDevice =
      runtime.info.plan.device === 'webgpu' &&
      (this.simulatedFault === 'webgpu-device-lost-always' ||
        (this.simulatedFault === 'webgpu-device-lost' && runtime.completedRuns > 0));
    const result = await generateAnswer(runtime, runtime.features, runtime.timer, {
      image: request.image,
      prompt,
      maxNewTokens: getTask(request.task).maxNewTokens,
      signal,
      onText: (rawText) => {
        if (loseDevice) this.gpuDevice?.destroy();
        onPartialAnswer(rawText);
      },
      summarizeInput: request.describeInput ?? false,
    });
    return {
      task: request.task,
      prompt,
      rawText: result.rawText,
      imageSize: result.imageSize,
      ...(result.inputPixels ? { inputPixels: result.inputPixels } : {}),
      generatedTokens: result.generatedTokens,
      ...(fitted.truncated ? { inputTruncated: fitted.truncated } : {}),
      timings: result.stages,
    };
  }

  private async watchGpuDevice(): Promise<void> {
    this.gpuDeviceLost = null;
    const device = await env.backends.onnx.webgpu?.device;
    this.gpuDevice = device ?? null;
    void device?.lost.then((info) => {
      this.gpuDeviceLost = `GPU device lost (${info.reason}): ${info.message}`;
    });
  }

  private async dispose(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = null;
    runtime?.features.clear();
    await runtime?.model.dispose().catch(() => {});
  }
}

// BART's learned positions: image tokens and prompt tokens together must fit.
const MAX_ENCODER_POSITIONS = 1024;
const IMAGE_TOKENS = 577;

/**
 * Cuts the person's text so the whole prompt fits the encoder, rather than letting the model fail
 * on an over-long sequence; the answer says how much was kept.
 */
function fitInputToModel(
  runtime: LoadedRuntime,
  request: RunTaskRequest,
): { input: string; truncated: TaskOutput['inputTruncated'] | null } {
  const spec = getTask(request.task);
  if (spec.input !== 'text' || !request.taskInput) return { input: request.taskInput, truncated: null };
  const tokenIds = (text: string) => runtime.tokenizer.encode(text, { add_special_tokens: false }) as number[];
  const promptTokens = tokenIds(buildPrompt(request.task, '')).length + 2;
  const budget = MAX_ENCODER_POSITIONS - IMAGE_TOKENS - promptTokens;
  const inputIds = tokenIds(request.taskInput);
  if (inputIds.length <= budget) return { input: request.taskInput, truncated: null };
  const kept = runtime.tokenizer.decode(inputIds.slice(0, budget), { skip_special_tokens: true });
  return { input: kept, truncated: { keptTokens: budget, originalTokens: inputIds.length } };
}

async function warmUp(runtime: LoadedRuntime): Promise<void> {
  const canvas = new OffscreenCanvas(32, 32);
  canvas.getContext('2d')?.fillRect(0, 0, 32, 32);
  const blank = await canvas.convertToBlob({ type: 'image/png' });
  await generateAnswer(runtime, new ImageFeatureCache(1), runtime.timer, {
    image: blank,
    prompt: getTask('<CAPTION>').prompt,
    maxNewTokens: 1,
    signal: new AbortController().signal,
  });
}

function configureLibrary(request: LoadModelRequest): ModelFileCache {
  const location = remoteLocation(request.source);
  const cache = new ModelFileCache(request.simulatedFault === 'full-disk');
  env.useCustomCache = true;
  env.customCache = cache;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = location.remoteHost;
  env.remotePathTemplate = location.remotePathTemplate;
  // The service worker keeps ONNX Runtime's files for offline use; a second copy in the Cache API
  // would only cost storage, and loading the runtime from a blob: URL would need a looser CSP.
  env.useWasmCache = false;
  return cache;
}
