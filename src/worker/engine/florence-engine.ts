/**
 * The model worker's engine: loads Florence-2 for the device plan the policy picks and answers runs,
 * reporting every failure with a code and the device it happened on. It decides no recovery: moving
 * to WASM, fresh workers and repairs are the model session's (src/shared/recovery-policy.ts).
 */
import {
  chooseDevicePlan,
  type Device,
  type DeviceCapabilities,
  type DevicePlan,
  referenceDemoPlan,
} from '../../shared/device/policy';
import { buildPrompt, getTask } from '../../shared/florence/tasks';
import { defaultQuality } from '../../shared/generation/quality-policy';
import { describeModelSource } from '../../shared/model-source';
import type {
  LoadedModel,
  LoadProgress,
  ModelLoadRequest,
  RunPhase,
  TaskOutput,
  TaskRunRequest,
} from '../../shared/protocol';
import { type Engine, EngineError } from './engine';
import { generateFromFeatures } from './generation';
import { ImageFeatureCache, imageFeaturesFor } from './image-features';
import { classifyLoadError } from './load-errors';
import { ProgressReporter } from './load-progress';
import { type FileStore, ModelFileCache } from './model-file-cache';
import { fitInputToModel, type PromptTokenizer } from './prompt-fitting';
import { classifyRunError } from './run-errors';
import type { ModelRuntime, RuntimeLoader } from './runtime-loader';

/** The engine's connections to the browser and the model library; the worker entry supplies them. */
export interface EngineParts {
  readonly probeCapabilities: () => Promise<DeviceCapabilities>;
  readonly loadRuntime: RuntimeLoader;
  readonly openFileStore: () => Promise<FileStore>;
  /** Keeps the runtime build in use for offline starts. */
  readonly keepRuntimeFiles: () => void;
}

interface LoadedState {
  readonly runtime: ModelRuntime;
  /** Image features by image content; they belong to this model, so they go with it. */
  readonly features: ImageFeatureCache;
}

export class FlorenceEngine implements Engine {
  private loaded: LoadedState | null = null;

  constructor(private readonly parts: EngineParts) {}

  async load(
    request: ModelLoadRequest,
    deviceOverride: Device | undefined,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<LoadedModel> {
    const started = performance.now();
    await this.dispose();
    const reporter = new ProgressReporter(onProgress);
    reporter.phase('probing');
    const plan = await this.planFor(request, deviceOverride);
    const fileCache = new ModelFileCache(this.parts.openFileStore);
    let runtime: ModelRuntime;
    try {
      runtime = await this.parts.loadRuntime({
        source: request.source,
        plan,
        referenceDemo: request.referenceDemo ?? false,
        fileCache,
        onLibraryProgress: reporter.onLibraryProgress,
        onWarmUp: () => reporter.phase('warming'),
      });
    } catch (error) {
      throw classifyLoadError(error, describeModelSource(request.source), plan.device);
    }
    this.loaded = { runtime, features: new ImageFeatureCache(request.referenceDemo ? 0 : undefined) };
    this.parts.keepRuntimeFiles();
    return {
      source: request.source,
      plan: runtime.plan,
      loadMs: performance.now() - started,
      storageProblem: fileCache.quotaExceeded ? 'full-disk' : null,
    };
  }

  private async planFor(request: ModelLoadRequest, deviceOverride: Device | undefined): Promise<DevicePlan> {
    const capabilities = await this.parts.probeCapabilities();
    const chosen = request.referenceDemo
      ? referenceDemoPlan(capabilities)
      : chooseDevicePlan(capabilities, deviceOverride ?? request.devicePreference, request.dtypePreset);
    return { ...chosen, wasmThreads: request.wasmThreads ?? chosen.wasmThreads };
  }

  async run(
    request: TaskRunRequest,
    signal: AbortSignal,
    onPartialAnswer: (rawText: string) => void,
    onPhase: (phase: RunPhase) => void = () => {},
  ): Promise<TaskOutput> {
    const loaded = this.loaded;
    if (!loaded) throw new EngineError('not-loaded', 'The model is not loaded yet.');
    const { runtime } = loaded;
    try {
      const started = performance.now();
      onPhase('preparing-image');
      const image = await imageFeaturesFor(
        runtime,
        loaded.features,
        request.image,
        request.reportInputPixels ?? false,
        onPhase,
      );
      const quality = request.quality ?? defaultQuality(runtime.plan.device);
      const fitted = fitInputToModel(runtime.tokenizer as unknown as PromptTokenizer, request.task, request.taskInput);
      const prompt = buildPrompt(request.task, fitted.input);
      onPhase('generating');
      const answer = await generateFromFeatures(runtime, runtime.timer, {
        imageFeatures: image.features,
        prompt,
        maxNewTokens: getTask(request.task).maxNewTokens,
        quality,
        device: runtime.plan.device,
        signal,
        onText: onPartialAnswer,
      });
      return {
        task: request.task,
        prompt,
        rawText: answer.rawText,
        tokens: answer.tokens,
        quality,
        imageSize: image.size,
        ...(request.reportInputPixels && image.inputPixels ? { inputPixels: image.inputPixels } : {}),
        generatedTokens: answer.generatedTokens,
        ...(fitted.truncated ? { inputTruncated: fitted.truncated } : {}),
        timings: {
          visionCached: image.cached,
          readFileMs: image.readFileMs,
          decodeImageMs: image.decodeImageMs,
          preprocessMs: image.preprocessMs,
          resizeMs: image.resizeMs,
          visionEncoderMs: image.visionEncoderMs,
          textEncoderMs: answer.textEncoderMs,
          firstTokenMs: answer.firstTokenMs,
          perTokenMs: answer.perTokenMs,
          generateMs: answer.generateMs,
          totalMs: performance.now() - started,
        },
      };
    } catch (error) {
      throw classifyRunError(error, {
        device: runtime.plan.device,
        gpuDeviceLost: runtime.gpuDeviceLost(),
        cancelled: signal.aborted || (error instanceof EngineError && error.code === 'cancelled'),
      });
    }
  }

  private async dispose(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    loaded?.features.clear();
    await loaded?.runtime.dispose();
  }
}
