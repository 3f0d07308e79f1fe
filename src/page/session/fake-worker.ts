/**
 * Test support for the model session: a fake model worker that answers each message as a script
 * says, asynchronously as a real worker does, and can crash.
 */
import { chooseDevicePlan, type Device, TYPICAL_WASM_DEVICE } from '../../shared/device/policy';
import type { TokenProbability } from '../../shared/florence/confidence';
import type {
  LoadedModel,
  LoadModelMessage,
  ModelLoadRequest,
  RunTaskMessage,
  TaskOutput,
  WorkerError,
  WorkerRequest,
  WorkerResponse,
} from '../../shared/protocol';
import type { WorkerPort } from './worker-client';

export type Outcome =
  | { readonly result: LoadedModel | TaskOutput }
  | { readonly error: WorkerError }
  /** The worker dies while handling the message. */
  | 'crash'
  /** No answer until the test gives one. */
  | 'hold';

export type Script = (message: LoadModelMessage | RunTaskMessage, worker: FakeWorker) => Outcome;

type Listener = (event: Event) => void;

export class FakeWorker implements WorkerPort {
  readonly received: WorkerRequest[] = [];
  terminated = false;
  private readonly listeners: Record<string, Listener[]> = { message: [], error: [], messageerror: [] };

  constructor(
    /** Its place among the workers the session started, from 0. */
    readonly index: number,
    private readonly script: Script,
  ) {}

  postMessage(message: WorkerRequest): void {
    this.received.push(message);
    if (message.kind === 'cancel') {
      setTimeout(() => this.reply({ kind: 'result', id: message.id, request: 'cancel', result: { cancelled: true } }));
      return;
    }
    const outcome = this.script(message, this);
    setTimeout(() => this.deliver(message, outcome));
  }

  addEventListener(type: 'message' | 'error' | 'messageerror', listener: Listener): void {
    this.listeners[type]?.push(listener);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Answers a message the script held back. */
  deliver(message: LoadModelMessage | RunTaskMessage, outcome: Outcome): void {
    if (outcome === 'hold') return;
    if (outcome === 'crash') {
      this.crash();
      return;
    }
    if ('error' in outcome) {
      this.reply({ kind: 'error', id: message.id, error: outcome.error });
      return;
    }
    this.reply(
      message.kind === 'load-model'
        ? { kind: 'result', id: message.id, request: 'load-model', result: outcome.result as LoadedModel }
        : { kind: 'result', id: message.id, request: 'run-task', result: outcome.result as TaskOutput },
    );
  }

  /** A message from the worker; a terminated worker sends nothing (a real one cannot). */
  reply(response: WorkerResponse): void {
    for (const listener of this.listeners.message ?? []) listener(new MessageEvent('message', { data: response }));
  }

  /** What the browser reports when a worker dies: an error event. */
  crash(message = 'Uncaught RangeError: Array buffer allocation failed'): void {
    const event = Object.assign(new Event('error', { cancelable: true }), { message });
    for (const listener of this.listeners.error ?? []) listener(event);
  }

  loads(): LoadModelMessage[] {
    return this.received.filter((message): message is LoadModelMessage => message.kind === 'load-model');
  }

  runs(): RunTaskMessage[] {
    return this.received.filter((message): message is RunTaskMessage => message.kind === 'run-task');
  }
}

const WEBGPU_DEVICE = { ...TYPICAL_WASM_DEVICE, webgpu: { shaderF16: false, adapterName: 'test GPU' } };

/** What the worker answers to a load on `device`. */
export function loadedOn(device: Device, request: ModelLoadRequest): LoadedModel {
  const capabilities = device === 'webgpu' ? WEBGPU_DEVICE : TYPICAL_WASM_DEVICE;
  return {
    source: request.source,
    plan: chooseDevicePlan(capabilities, device, request.dtypePreset),
    loadMs: 10,
    storageProblem: null,
  };
}

/** The device a load message ends up on, on a browser that offers WebGPU. */
export function deviceOf(message: LoadModelMessage): Device {
  return message.deviceOverride ?? (message.request.devicePreference === 'wasm' ? 'wasm' : 'webgpu');
}

/** A worker's answer; `tokens` as the worker reports them (none: an answer that carries no scores). */
export function answer(rawText: string, tokens: readonly TokenProbability[] = []): TaskOutput {
  return {
    task: '<CAPTION>',
    prompt: 'What does the image describe?',
    rawText,
    tokens,
    quality: 'best',
    imageSize: { width: 4, height: 3 },
    generatedTokens: 2,
    timings: {
      visionCached: false,
      readFileMs: 1,
      decodeImageMs: 1,
      preprocessMs: 1,
      resizeMs: 0,
      visionEncoderMs: 1,
      textEncoderMs: 1,
      firstTokenMs: 1,
      perTokenMs: 1,
      generateMs: 1,
      totalMs: 5,
    },
  };
}
