/**
 * Everything the UI can do, as plain functions over the store and the model worker.
 */
import type { DevicePreference } from '../core/device/policy';
import { parseAnswer } from '../core/florence/parse';
import { getTask, type TaskToken } from '../core/florence/tasks';
import { DEFAULT_MODEL_ID, parseModelSource } from '../core/model-source';
import { createModelWorker, type ModelWorkerClient, WorkerRequestError } from '../worker/client';
import type { WorkerError } from '../worker/protocol';
import { useAppStore } from './store';
import { readUrlSettings } from './url-settings';

const { setState, getState } = useAppStore;

let client: ModelWorkerClient | null = null;
let runAbort: AbortController | null = null;
let nextImageId = 1;

function modelClient(): ModelWorkerClient {
  client ??= createModelWorker();
  return client;
}

function asWorkerError(error: unknown): WorkerError {
  if (error instanceof WorkerRequestError) return error.toWorkerError();
  return { code: 'internal', message: 'Something unexpected went wrong.', detail: String(error) };
}

export function applyUrlSettings(search: string): void {
  const settings = readUrlSettings(search);
  setState({
    modelSourceText: settings.modelSourceText ?? '',
    devicePreference: settings.devicePreference ?? 'auto',
  });
}

export function setModelSourceText(modelSourceText: string): void {
  setState({ modelSourceText });
}

export function setDevicePreference(devicePreference: DevicePreference): void {
  setState({ devicePreference });
}

export async function loadModel(): Promise<void> {
  const { modelSourceText, devicePreference, modelStatus } = getState();
  if (modelStatus === 'loading') return;
  const parsed = parseModelSource(modelSourceText || DEFAULT_MODEL_ID, window.location.href);
  if (!parsed.ok) {
    setState({ modelStatus: 'error', modelError: { code: 'invalid-request', message: parsed.message } });
    return;
  }
  // A new source or device gets a fresh worker, so nothing of the previous runtime lingers.
  client?.terminate();
  client = null;
  cancelRun();
  setState({ modelStatus: 'loading', loadProgress: null, modelError: null, loadedModel: null });
  try {
    const loadedModel = await modelClient().load(
      { source: parsed.source, devicePreference, ...faultHook() },
      (loadProgress) => setState({ loadProgress }),
    );
    setState({ modelStatus: 'ready', loadedModel, loadProgress: null });
  } catch (error) {
    setState({ modelStatus: 'error', modelError: asWorkerError(error), loadProgress: null });
  }
}

function faultHook() {
  const { simulatedFault } = readUrlSettings(window.location.search);
  return simulatedFault ? { simulatedFault } : {};
}

const IMAGE_TYPES_HINT = 'Choose a JPEG, PNG, WebP or GIF image.';

export async function selectImageFile(file: File): Promise<void> {
  if (file.size === 0) {
    setState({ imageError: `"${file.name}" is empty. ${IMAGE_TYPES_HINT}` });
    return;
  }
  if (file.type && !file.type.startsWith('image/')) {
    setState({ imageError: `"${file.name}" is not an image (${file.type}). ${IMAGE_TYPES_HINT}` });
    return;
  }
  let size: { width: number; height: number };
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
  } catch {
    setState({ imageError: `"${file.name}" could not be read as an image; it may be damaged. ${IMAGE_TYPES_HINT}` });
    return;
  }
  cancelRun();
  const previous = getState().image;
  if (previous) URL.revokeObjectURL(previous.objectUrl);
  setState({
    image: { id: nextImageId++, file, name: file.name, objectUrl: URL.createObjectURL(file), size },
    imageError: null,
    lastRun: null,
    runError: null,
    runStatus: 'idle',
  });
}

export function setTask(task: TaskToken): void {
  setState({ task, runError: null });
}

export function setTaskInput(taskInput: string): void {
  setState({ taskInput });
}

/** Why Run cannot start right now, or null when it can. */
export function runBlocker(state = getState()): string | null {
  if (state.modelStatus !== 'ready') return 'Load the model first.';
  if (!state.image) return 'Choose an image first.';
  const spec = getTask(state.task);
  if (spec.input === 'text' && !state.taskInput.trim()) return `${spec.label} needs some text to look for.`;
  if (spec.input === 'region') return `${spec.label} needs a region; region input arrives in a later version.`;
  if (state.runStatus === 'running') return 'A run is in progress.';
  return null;
}

export async function runSelectedTask(): Promise<void> {
  const state = getState();
  const blocker = runBlocker(state);
  const image = state.image;
  if (blocker || !image) {
    setState({ runError: { code: 'invalid-request', message: blocker ?? 'Choose an image first.' } });
    return;
  }
  const abort = new AbortController();
  runAbort = abort;
  const started = performance.now();
  setState({ runStatus: 'running', runError: null });
  try {
    const output = await modelClient().run(
      { task: state.task, taskInput: state.taskInput.trim(), image: image.file },
      abort.signal,
    );
    // The person may have chosen another image meanwhile; never show an answer on the wrong one.
    if (getState().image?.id !== image.id || abort.signal.aborted) return;
    const answer = parseAnswer(output.task, output.rawText, output.imageSize);
    setState({
      runStatus: 'done',
      lastRun: { imageId: image.id, output, answer, elapsedMs: performance.now() - started },
      ...(output.model ? { loadedModel: output.model } : {}),
    });
  } catch (error) {
    if (abort.signal.aborted) return;
    const runError = asWorkerError(error);
    setState({ runStatus: runError.code === 'cancelled' ? 'idle' : 'error', runError });
  } finally {
    if (runAbort === abort) runAbort = null;
  }
}

export function cancelRun(): void {
  if (!runAbort) return;
  runAbort.abort();
  runAbort = null;
  setState({ runStatus: 'idle' });
}
