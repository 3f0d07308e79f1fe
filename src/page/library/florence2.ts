/**
 * Florence-2 for code: create an instance, run any of the 15 tasks on an image, get the typed answer.
 * Everything runs on this device, in a worker, through the one model session the app uses too.
 */
import type { DevicePreference, DtypePreset } from '../../shared/device/policy';
import { type FlorenceAnswer, parseAnswer, toReferenceJson } from '../../shared/florence/parse';
import { taskInputFor } from '../../shared/florence/task-input';
import { getTask, isTaskToken, TASK_TOKENS, type TaskToken } from '../../shared/florence/tasks';
import { ANSWER_QUALITIES, type AnswerQuality, isAnswerQuality } from '../../shared/generation/config';
import type { ImageSize } from '../../shared/geometry/bins';
import { type ImageBox, imageBox } from '../../shared/geometry/coordinates';
import { regionInsideImage } from '../../shared/geometry/shapes';
import { HUB_MODEL_OF_ALIAS, type ModelAlias, modelAliasOf } from '../../shared/hosted-apis/model-ids';
import { DEFAULT_MODEL_ID, type ModelSource, modelFileUrl, parseModelSource } from '../../shared/model-source';
import type { LoadProgress, ModelLoadRequest, RunPhase, StageTimings, TaskOutput } from '../../shared/protocol';
import { deleteCachedModel } from '../model-files/storage';
import type { ModelSession, SessionEvent, SessionModel, SessionState } from '../session/model-session';
import { createModelSession } from '../session/model-session';
import { startModelWorker, startModelWorkerAt } from '../session/model-worker';
import type { WorkerPort } from '../session/worker-client';
import { asFlorence2Error, Florence2Error } from './errors';
import { type ImageInput, prepareImage, sizeOf } from './image-input';

export interface Florence2Options {
  /**
   * The model: `florence-2-base`, `florence-2-large` or their `-ft` forms, a Hub id
   * (`onnx-community/Florence-2-base-ft`, the default), or the URL of a folder that serves one.
   */
  readonly model?: string;
  /** 'auto' (the fastest correct weights for this device), 'quality' (full precision) or 'smallest'. */
  readonly weights?: DtypePreset;
  /** 'auto' (WebGPU where it works, WASM otherwise), 'webgpu' or 'wasm'. */
  readonly device?: DevicePreference;
  /** Called as the model's files download and compile. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /**
   * Where the library's worker and ONNX Runtime files are served (the `assets` folder of its
   * build), when not beside the library's own module: a bundler that moved them, or a CDN.
   */
  readonly assetsUrl?: string | URL;
  /** Where model names are served from, for a site that hosts its own copies: `{'florence-2-base': '/models/base/'}`. */
  readonly modelFolders?: Partial<Readonly<Record<ModelAlias, string>>>;
  /** Starts a model worker; for tests and for pages that construct workers themselves. */
  readonly createWorker?: () => WorkerPort;
}

export interface RunOptions {
  /** For tasks that take text: the phrase, expression or classes (comma separated) to look for. */
  readonly text?: string;
  /** For region tasks: the region, in pixels of the image as it is shown (corners in any order). */
  readonly region?: { readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number };
  /** The text to splice into the task's prompt as is (location tokens for a region), instead of `text`/`region`. */
  readonly taskInput?: string;
  /** The image's upright size, when the caller already decoded it; saves a decode for region tasks. */
  readonly imageSize?: ImageSize;
  readonly signal?: AbortSignal;
  /** The answer so far as tokens arrive: its visible text, and the raw text with location tokens. */
  readonly onToken?: (text: string, rawText: string) => void;
  /** What the run is doing as each phase starts: 'preparing-image', 'encoding-image', 'generating'. */
  readonly onPhase?: (phase: RunPhase) => void;
  /**
   * "best" decodes with 3 beams as the reference does; "fast" greedily. Omitted, the device's
   * default (see README "Beams and scores").
   */
  readonly quality?: AnswerQuality;
  /** Test hook: a summary of the pixels the model saw, in `output.inputPixels`. */
  readonly reportInputPixels?: boolean;
}

export interface Florence2Result extends FlorenceAnswer {
  /** What the reference post-processor returns for this task: a string, or `{bboxes, labels}`… */
  readonly reference: unknown;
  /** What the model produced, with its timings and the size of the image it saw. */
  readonly output: TaskOutput;
  readonly timings: StageTimings & { readonly parseMs: number };
}

/** A run whose task, image and input have been checked (`Florence2.prepare`). */
export interface PreparedRun {
  readonly task: TaskToken;
  readonly taskInput: string;
  /** The encoded image the worker decodes. */
  readonly file: Blob;
}

/** Waits for `work` unless `signal` aborts first; the work itself goes on (a load others may share). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  const cancelled = () => new Florence2Error('cancelled', 'The run was cancelled.');
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const MODEL_ALIAS_HINT =
  'florence-2-base, florence-2-large, their -ft forms, a Hub id (owner/name) or a model folder URL';

/**
 * A caller's callback, made safe to call from the run's stream: one that throws is reported on the
 * console and must not break the stream of tokens and phases for the others.
 */
function reportingThrows<Args extends unknown[]>(callback: (...args: Args) => void): (...args: Args) => void {
  return (...args) => {
    try {
      callback(...args);
    } catch (error) {
      console.error(error);
    }
  };
}

export class Florence2 {
  /** The model session under this instance: state, notices, recovery. */
  readonly session: ModelSession;
  private readonly options: Florence2Options;
  private wanted: ModelLoadRequest | null = null;

  constructor(options: Florence2Options = {}) {
    this.options = options;
    const assetsUrl = options.assetsUrl;
    this.session = createModelSession({
      createWorker:
        options.createWorker ?? (assetsUrl ? () => startModelWorkerAt(assetsUrl) : () => startModelWorker()),
      deleteStoredModel: (source) => deleteCachedModel(modelFileUrl(source, '')),
    });
  }

  get state(): SessionState {
    return this.session.state;
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    return this.session.subscribe(listener);
  }

  /** Where a model name, Hub id or folder URL is served from. */
  sourceOf(model: string): ModelSource {
    const alias = modelAliasOf(model);
    const folder = alias ? this.options.modelFolders?.[alias] : undefined;
    const text = folder ?? (alias ? HUB_MODEL_OF_ALIAS[alias] : model);
    const parsed = parseModelSource(text, typeof location === 'undefined' ? 'http://localhost/' : location.href);
    if (!parsed.ok) throw new Florence2Error('unknown-model', `${parsed.message} Use ${MODEL_ALIAS_HINT}.`);
    return parsed.source;
  }

  /** The load request for a model (default: the instance's), with the instance's weights and device. */
  requestFor(model = this.options.model ?? DEFAULT_MODEL_ID): ModelLoadRequest {
    return {
      source: this.sourceOf(model),
      devicePreference: this.options.device ?? 'auto',
      dtypePreset: this.options.weights ?? 'auto',
    };
  }

  /** Loads the instance's model, or the one `request` names; resolves once it can answer. */
  async load(request: ModelLoadRequest = this.requestFor()): Promise<SessionModel> {
    this.wanted = request;
    const onProgress = this.options.onProgress;
    try {
      return await this.session.load(request, onProgress ? { onProgress } : {});
    } catch (error) {
      throw asFlorence2Error(error);
    }
  }

  /** Loads `model` unless it is the one loaded (or loading) now; `signal` stops the waiting, not the load. */
  async ensureModel(model: string, signal?: AbortSignal): Promise<void> {
    const request = this.requestFor(model);
    const current = this.wanted;
    const same = current && JSON.stringify(current.source) === JSON.stringify(request.source);
    if (same && (this.state.status === 'ready' || this.state.status === 'loading')) return;
    await untilAborted(this.load(same && current ? current : request), signal);
  }

  /** Runs `task` on `image`; the model is loaded first if it is not yet. */
  async run(task: TaskToken, image: ImageInput, options: RunOptions = {}): Promise<Florence2Result> {
    return this.runPrepared(await this.prepare(task, image, options), options);
  }

  /**
   * Checks a run's task, image and input without running it: what `run` does first. A caller that
   * must answer before the model starts (a streamed reply) learns of bad input here.
   */
  async prepare(task: TaskToken, image: ImageInput, options: RunOptions = {}): Promise<PreparedRun> {
    try {
      if (!isTaskToken(task)) {
        throw new Florence2Error(
          'unknown-task',
          `${String(task)} is not a Florence-2 task; use one of ${TASK_TOKENS.join(', ')}.`,
        );
      }
      if (options.quality !== undefined && !isAnswerQuality(options.quality)) {
        throw new Florence2Error(
          'invalid-request',
          `quality must be one of ${ANSWER_QUALITIES.join(', ')}, not ${JSON.stringify(options.quality)}.`,
          undefined,
          'quality',
        );
      }
      const prepared = await prepareImage(image, options.signal);
      const taskInput =
        options.taskInput ?? (await this.taskInputOf(task, options, () => options.imageSize ?? sizeOf(prepared)));
      return { task, taskInput, file: prepared.file };
    } catch (error) {
      throw asFlorence2Error(error);
    }
  }

  /** Runs a prepared run; the model is loaded first if it is not yet (or its last load failed). */
  async runPrepared(prepared: PreparedRun, options: RunOptions = {}): Promise<Florence2Result> {
    const { signal, onToken, onPhase } = options;
    const { task } = prepared;
    try {
      const status = this.state.status;
      if (status === 'idle' || status === 'error')
        await untilAborted(this.load(this.wanted ?? this.requestFor()), signal);
      const output = await this.session.run(
        {
          task,
          taskInput: prepared.taskInput,
          image: prepared.file,
          ...(options.quality ? { quality: options.quality } : {}),
          ...(options.reportInputPixels ? { reportInputPixels: true } : {}),
        },
        {
          ...(signal ? { signal } : {}),
          onPhase: reportingThrows((phase: RunPhase) => onPhase?.(phase)),
          onPartialAnswer: reportingThrows((rawText: string) =>
            onToken?.(parseAnswer(task, rawText, { width: 1, height: 1 }).text, rawText),
          ),
        },
      );
      const parseStarted = performance.now();
      // An answer without tokens (from a worker that reports none) carries no scores.
      const tokens = output.tokens.length > 0 ? output.tokens : undefined;
      const answer = parseAnswer(output.task, output.rawText, output.imageSize, tokens);
      const reference = toReferenceJson(answer)[output.task];
      return {
        ...answer,
        reference,
        output,
        timings: { ...output.timings, parseMs: performance.now() - parseStarted },
      };
    } catch (error) {
      throw asFlorence2Error(error);
    }
  }

  private async taskInputOf(
    task: TaskToken,
    options: RunOptions,
    size: () => ImageSize | Promise<ImageSize>,
  ): Promise<string> {
    const spec = getTask(task);
    let region: ImageBox | null = null;
    let imageSize: ImageSize | null = null;
    if (spec.input === 'region') {
      const given = options.region;
      if (!given)
        throw new Florence2Error(
          'invalid-region',
          `${task} needs a region: {x1, y1, x2, y2} in pixels of the image.`,
          undefined,
          'region',
        );
      region = imageBox(given.x1, given.y1, given.x2, given.y2);
      if (!region.every(Number.isFinite))
        throw new Florence2Error('invalid-region', 'The region’s corners must be numbers.', undefined, 'region');
      imageSize = await size();
      if (!regionInsideImage(region, imageSize)) {
        throw new Florence2Error(
          'region-outside-image',
          `The region (${given.x1}, ${given.y1}) – (${given.x2}, ${given.y2}) is not inside the image, which is ${imageSize.width} × ${imageSize.height} pixels.`,
          undefined,
          'region',
        );
      }
    }
    const input = taskInputFor(spec, { text: options.text ?? '', region, imageSize });
    if (!input.ok)
      throw new Florence2Error(
        spec.input === 'text' ? 'missing-text' : 'invalid-region',
        input.reason,
        undefined,
        spec.input,
      );
    return input.input;
  }

  /** Stops the worker; the instance cannot be used after. */
  dispose(): void {
    this.session.dispose();
  }
}

/** A Florence-2 instance; it loads its model on the first run, or when `load()` is called. */
export function createFlorence2(options: Florence2Options = {}): Florence2 {
  return new Florence2(options);
}
