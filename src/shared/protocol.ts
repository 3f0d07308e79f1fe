/**
 * The one message protocol between the UI thread and the model worker. Both sides import these types
 * with `import type`. Every request carries an id; the worker answers each with zero or more
 * `progress` messages and exactly one `result` or `error`.
 */
import type { DevicePlan, DevicePreference, DtypePreset } from './device/policy';
import type { FileProgress } from './download-progress';
import type { TaskToken } from './florence/tasks';
import type { ImageSize } from './geometry/bins';
import type { PixelSummary } from './image-pixels';
import type { ModelSource } from './model-source';

export type RequestId = number;

/** Test-only: makes a failure happen on purpose so the recovery path can be exercised. */
export type SimulatedFault =
  | 'webgpu-load'
  | 'webgpu-first-run'
  /** The GPU device is destroyed for real at the first token of the second WebGPU run. */
  | 'webgpu-device-lost'
  /** As above, but on every WebGPU run, fresh devices included. */
  | 'webgpu-device-lost-always'
  /** Loading fails with the error the browser gives when an allocation cannot be met. */
  | 'out-of-memory'
  | 'full-disk';

export interface LoadModelRequest {
  readonly kind: 'load-model';
  readonly id: RequestId;
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
  readonly simulatedFault?: SimulatedFault;
}

export interface RunTaskRequest {
  readonly kind: 'run-task';
  readonly id: RequestId;
  readonly task: TaskToken;
  /** The user's text or region tokens for tasks that take an input; empty otherwise. */
  readonly taskInput: string;
  /** The encoded image file; decoded inside the worker, off the UI thread. */
  readonly image: Blob;
  /** Test hook: report a summary of the pixels the model was given (`TaskOutput.inputPixels`). */
  readonly describeInput?: boolean;
}

export interface CancelRequest {
  readonly kind: 'cancel';
  readonly id: RequestId;
  readonly targetId: RequestId;
}

export type WorkerRequest = LoadModelRequest | RunTaskRequest | CancelRequest;

export type LoadPhase = 'probing' | 'downloading' | 'compiling' | 'warming';

export interface LoadProgress {
  readonly phase: LoadPhase;
  readonly files: readonly FileProgress[];
}

export interface DeviceFallback {
  readonly from: 'webgpu';
  readonly reason: string;
}

export interface LoadedModel {
  readonly source: ModelSource;
  readonly plan: DevicePlan;
  /** Set when WebGPU was tried and failed, so the model runs on WASM instead. */
  readonly fallback: DeviceFallback | null;
  readonly loadMs: number;
  /**
   * 'full-disk' when the files could not be kept on this device (the next visit downloads them
   * again); 'repaired' when a damaged stored copy was removed and downloaded again.
   */
  readonly storageProblem: 'full-disk' | 'repaired' | null;
}

/** Where the time of one answer went, in milliseconds. */
export interface StageTimings {
  /** True when the image's features came from the cache (no decode, preprocessing or vision encoder). */
  readonly visionCached: boolean;
  readonly decodeImageMs: number;
  readonly preprocessMs: number;
  readonly visionEncoderMs: number;
  readonly textEncoderMs: number;
  /** From the start of generation (prompt embedding included) to the first generated token. */
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
  /** Size of the image the model saw, in pixels; coordinates in the answer refer to it. */
  readonly imageSize: ImageSize;
  /** Only when the request asked `describeInput`. */
  readonly inputPixels?: PixelSummary;
  readonly generatedTokens: number;
  /** Set when the person's text was longer than the model can read and was cut. */
  readonly inputTruncated?: { readonly keptTokens: number; readonly originalTokens: number };
  readonly timings: StageTimings;
  /** Present when this run had to move the model to another device. */
  readonly model?: LoadedModel;
}

export type ErrorCode =
  | 'model-not-found'
  | 'network'
  | 'model-load-failed'
  | 'not-loaded'
  | 'image-unreadable'
  | 'invalid-request'
  | 'cancelled'
  | 'generation-failed'
  | 'worker-crashed'
  | 'gpu-device-lost'
  | 'out-of-memory'
  | 'damaged-model-files'
  | 'internal';

export interface WorkerError {
  readonly code: ErrorCode;
  /** A sentence a person can act on. */
  readonly message: string;
  /** The underlying error text, for the details disclosure and bug reports. */
  readonly detail?: string;
}

export interface ResultByRequest {
  'load-model': LoadedModel;
  'run-task': TaskOutput;
  cancel: { readonly cancelled: boolean };
}

/** Progress of a request: model download and preparation, or the answer so far. */
export type RequestProgress =
  | { readonly kind: 'load'; readonly load: LoadProgress }
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
