/**
 * The one message protocol between the page and the model worker. Both sides import these types
 * with `import type`. Every request carries an id; the worker answers each with zero or more
 * `progress` messages and exactly one `result` or `error`.
 */
import type { Device, DevicePlan, DevicePreference, DtypePreset } from './device/policy';
import type { FileProgress } from './download-progress';
import type { TokenProbability } from './florence/confidence';
import type { TaskToken } from './florence/tasks';
import type { AnswerQuality } from './generation/config';
import type { ImageSize } from './geometry/bins';
import type { PixelSummary } from './image-pixels';
import type { ModelSource } from './model-source';

export type RequestId = number;

/** What a caller asks to load: the model, its weights and where it runs. */
export interface ModelLoadRequest {
  readonly source: ModelSource;
  readonly devicePreference: DevicePreference;
  readonly dtypePreset: DtypePreset;
  /** WASM threads; omitted, the device policy picks. */
  readonly wasmThreads?: number;
  /**
   * The benchmark's yardstick: run as transformers.js's Florence-2 demo does, with its weights, the
   * runtime build transformers.js picks, the vision encoder again for every task, and the decoder's
   * whole cache returned at every step.
   */
  readonly referenceDemo?: boolean;
}

/** One task on one image. */
export interface TaskRunRequest {
  readonly task: TaskToken;
  /** The user's text or region tokens for tasks that take an input; empty otherwise. */
  readonly taskInput: string;
  /** The encoded image file; decoded inside the worker, off the page's thread. */
  readonly image: Blob;
  /** How to decode; omitted, the device's default (`defaultQuality`). */
  readonly quality?: AnswerQuality;
  /** Test hook: report a summary of the pixels the model was given (`TaskOutput.inputPixels`). */
  readonly reportInputPixels?: boolean;
}

export interface LoadModelMessage {
  readonly kind: 'load-model';
  readonly id: RequestId;
  /** The caller's request, exactly as given, on every attempt. */
  readonly request: ModelLoadRequest;
  /** Set when recovery moves the model to another device than the request asks for. */
  readonly deviceOverride?: Device;
}

export interface RunTaskMessage {
  readonly kind: 'run-task';
  readonly id: RequestId;
  readonly request: TaskRunRequest;
}

export interface CancelMessage {
  readonly kind: 'cancel';
  readonly id: RequestId;
  readonly targetId: RequestId;
}

export type WorkerRequest = LoadModelMessage | RunTaskMessage | CancelMessage;

export type LoadPhase = 'probing' | 'downloading' | 'compiling' | 'warming';

export interface LoadProgress {
  readonly phase: LoadPhase;
  readonly files: readonly FileProgress[];
}

/** What the worker loaded. */
export interface LoadedModel {
  readonly source: ModelSource;
  readonly plan: DevicePlan;
  readonly loadMs: number;
  /** The files could not be kept on this device (the next visit downloads them again). */
  readonly storageProblem: 'full-disk' | null;
}

/**
 * Where the time of one answer went, in milliseconds, stage by stage in the order they run (all in
 * the worker). The image stages are zero when they did not run (`visionCached`).
 */
export interface StageTimings {
  /** True when the image's features came from the cache (no decode, preprocessing or vision encoder). */
  readonly visionCached: boolean;
  /** Reading the file's bytes and hashing them, to find features kept from an earlier task; always runs. */
  readonly readFileMs: number;
  /** Decoding the file into upright RGB pixels at its full size (the browser's decoder, then a pixel read). */
  readonly decodeImageMs: number;
  /** The model's image processor: resizing to its input size, rescaling and normalising into pixel values. */
  readonly preprocessMs: number;
  /** The part of `preprocessMs` spent resizing (zero when the image already had the model's size). */
  readonly resizeMs: number;
  readonly visionEncoderMs: number;
  readonly textEncoderMs: number;
  /** From the start of generation (prompt tokenised and embedded) to the first generated token. */
  readonly firstTokenMs: number;
  readonly perTokenMs: number;
  readonly generateMs: number;
  readonly totalMs: number;
}

export interface TaskOutput {
  readonly task: TaskToken;
  /** The prompt text the model received, after the task input was spliced in. */
  readonly prompt: string;
  /** Decoded with special tokens kept, so location tokens survive for parsing. */
  readonly rawText: string;
  /** Each generated token's place in rawText and the probability the model gave it. */
  readonly tokens: readonly TokenProbability[];
  /** How the answer was decoded. */
  readonly quality: AnswerQuality;
  /** Size of the image the model saw, in pixels; coordinates in the answer refer to it. */
  readonly imageSize: ImageSize;
  /** Only when the request asked `reportInputPixels`. */
  readonly inputPixels?: PixelSummary;
  readonly generatedTokens: number;
  /** Set when the person's text was longer than the model can read and was cut. */
  readonly inputTruncated?: { readonly keptTokens: number; readonly originalTokens: number };
  readonly timings: StageTimings;
}

export const ERROR_CODES = [
  'model-not-found',
  'network',
  'model-load-failed',
  'not-loaded',
  'image-unreadable',
  'invalid-request',
  'cancelled',
  'generation-failed',
  'worker-crashed',
  'gpu-device-lost',
  'out-of-memory',
  'damaged-model-files',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

export interface WorkerError {
  readonly code: ErrorCode;
  /** A sentence a person can act on. */
  readonly message: string;
  /** The underlying error text, for the details disclosure and bug reports. */
  readonly detail?: string;
  /** The device the failed work ran on (for a load, the one it was tried on), when it got that far. */
  readonly device?: Device;
  /**
   * A load's `network` failure because the model's host gave no answer at all (no connection to it,
   * refused or blocked): the host, as `hostOfUrl` names it (`huggingface.co`, `cdn.example:8080`).
   */
  readonly unreachableHost?: string;
}

export interface ResultByRequest {
  'load-model': LoadedModel;
  'run-task': TaskOutput;
  cancel: { readonly cancelled: boolean };
}

/**
 * What a run is doing: preparing the image (reading, decoding, preprocessing), the vision encoder
 * on it, then the text encoder and the decoder writing the answer.
 */
export type RunPhase = 'preparing-image' | 'encoding-image' | 'generating';

/** Progress of a request: model download and preparation, a run's phase, or the answer so far. */
export type RequestProgress =
  | { readonly kind: 'load'; readonly load: LoadProgress }
  | { readonly kind: 'run-phase'; readonly phase: RunPhase }
  | { readonly kind: 'partial-answer'; readonly rawText: string };

export type WorkerResponse =
  | { readonly kind: 'progress'; readonly id: RequestId; readonly progress: RequestProgress }
  | {
      readonly [K in keyof ResultByRequest]: {
        readonly kind: 'result';
        readonly id: RequestId;
        readonly request: K;
        readonly result: ResultByRequest[K];
      };
    }[keyof ResultByRequest]
  | { readonly kind: 'error'; readonly id: RequestId; readonly error: WorkerError };
