/**
 * Everything the UI can do, as plain functions over the store and the model worker.
 */
import type { DevicePreference, DtypePreset } from '../../shared/device/policy';
import { parseAnswer } from '../../shared/florence/parse';
import { type TaskInput, taskInputFor } from '../../shared/florence/task-input';
import { getTask, TASK_TOKENS, type TaskToken } from '../../shared/florence/tasks';
import type { ImageBox } from '../../shared/geometry/bins';
import {
  IMAGE_HEADER_BYTES,
  IMAGE_TRAILER_BYTES,
  isSvg,
  oversizeReason,
  readDeclaredSize,
  undecodableReason,
} from '../../shared/image-header';
import type { PixelSummary } from '../../shared/image-pixels';
import { MODEL_CATALOG, type ModelChoice } from '../../shared/model-catalog';
import { DEFAULT_MODEL_ID, parseModelSource } from '../../shared/model-source';
import type { SimulatedFault, WorkerError } from '../../shared/protocol';
import { rasteriseSvg } from '../image-intake/rasterise-svg';
import { createModelWorker, type ModelWorkerClient, WorkerRequestError } from '../session/worker-client';
import { type AppState, type CompletedRun, type SelectedImage, useAppStore } from './store';
import { readUrlSettings } from './url-settings';

const { setState, getState } = useAppStore;

let client: ModelWorkerClient | null = null;
let runAbort: AbortController | null = null;
let nextImageId = 1;

function modelClient(): ModelWorkerClient {
  if (!client) {
    const created = createModelWorker();
    created.onCrash(() => void recoverFromCrash(created));
    client = created;
  }
  return client;
}

/**
 * The worker died: start a new one and reload the model (from this device's storage), keeping every
 * answer already shown.
 */
async function recoverFromCrash(crashed: ModelWorkerClient): Promise<void> {
  if (client !== crashed) return;
  client = null;
  // Let the run that was in flight record its failure before the reload starts over.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const { modelStatus } = getState();
  if (modelStatus !== 'ready' && modelStatus !== 'loading') return;
  setState({ modelStatus: 'idle', runNotice: 'The model stopped unexpectedly and is being restarted…' });
  await loadModel();
  if (getState().modelStatus === 'ready') {
    setState({
      runNotice: 'The model stopped unexpectedly and was restarted from this device’s copy; earlier answers are kept.',
    });
  }
}

/** Test hook: the summary of the pixels the model was given for the answer on screen. */
export function inputSeenByModelForTest(): PixelSummary | null {
  const { shownTask, answers } = getState();
  return (shownTask && answers[shownTask]?.output.inputPixels) ?? null;
}

/** Test hook (with `?test-hooks=1`): makes the worker die as in a crash. */
export function crashWorkerForTest(): void {
  client?.simulateCrash();
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
    dtypePreset: settings.dtypePreset ?? 'auto',
  });
}

/**
 * Uses the deployment's own copy of a catalogue model (public/models/<id>/, see `npm run
 * fetch-model`) when it has one and no source was asked for, so no request goes to the Hub.
 */
export async function preferSelfHostedModel(): Promise<void> {
  if (getState().modelSourceText || readUrlSettings(window.location.search).modelSourceText) return;
  for (const model of MODEL_CATALOG) {
    const folder = `./models/${model.id}`;
    const response = await fetch(`${folder}/config.json`, { method: 'HEAD' }).catch(() => null);
    // A host that answers every path with its index page is not serving a model.
    if (response?.ok && response.headers.get('content-type')?.includes('json')) {
      if (!getState().modelSourceText) setState({ modelSourceText: folder });
      return;
    }
  }
}

export function setModelSourceText(modelSourceText: string): void {
  setState({ modelSourceText });
}

export function setDevicePreference(devicePreference: DevicePreference): void {
  setState({ devicePreference });
}

export function setDtypePreset(dtypePreset: DtypePreset): void {
  setState({ dtypePreset });
}

/** The model and weights now chosen; `modelId` null when the source is a folder URL. */
export function currentModelChoice(state = getState()): ModelChoice {
  const parsed = parseModelSource(state.modelSourceText || DEFAULT_MODEL_ID, window.location.href);
  const modelId = parsed.ok && parsed.source.kind === 'hub' ? parsed.source.modelId : null;
  return { modelId, dtypePreset: state.dtypePreset };
}

/** Switches to a choice that needs less memory (offered after one did not fit) and loads it. */
export async function loadModelChoice(choice: ModelChoice): Promise<void> {
  if (choice.modelId && choice.modelId !== currentModelChoice().modelId) setState({ modelSourceText: choice.modelId });
  setState({ dtypePreset: choice.dtypePreset });
  await loadModel();
}

interface LoadOptions {
  /** The damaged stored files were just removed: this load downloads them again. */
  readonly afterRepair?: boolean;
  /** Reloading under a run that will be sent again (a lost GPU device): the run is not cancelled. */
  readonly keepRun?: boolean;
  /** Overrides the person's device choice for this load only. */
  readonly devicePreference?: DevicePreference;
}

export async function loadModel(options: LoadOptions = {}): Promise<void> {
  const { afterRepair = false, keepRun = false } = options;
  const { modelSourceText, dtypePreset, modelStatus } = getState();
  const devicePreference = options.devicePreference ?? getState().devicePreference;
  if (modelStatus === 'loading' && !afterRepair) return;
  const parsed = parseModelSource(modelSourceText || DEFAULT_MODEL_ID, window.location.href);
  if (!parsed.ok) {
    setState({ modelStatus: 'error', modelError: { code: 'invalid-request', message: parsed.message } });
    return;
  }
  // A new source or device gets a fresh worker, so nothing of the previous runtime lingers.
  if (!keepRun) cancelRun();
  client?.terminate();
  client = null;
  setState({ modelStatus: 'loading', loadProgress: null, modelError: null, loadedModel: null });
  try {
    const loadedModel = await modelClient().load(
      { source: parsed.source, devicePreference, dtypePreset, ...faultHook() },
      (loadProgress) => setState({ loadProgress }),
    );
    setState({
      modelStatus: 'ready',
      loadedModel:
        afterRepair && !loadedModel.storageProblem ? { ...loadedModel, storageProblem: 'repaired' } : loadedModel,
      loadProgress: null,
    });
  } catch (error) {
    const modelError = asWorkerError(error);
    if (modelError.code === 'out-of-memory') onceFaultSpent = true;
    // The damaged files are gone: load once more, in a fresh worker, downloading them again.
    if (modelError.code === 'damaged-model-files' && !afterRepair) {
      await loadModel({ ...options, afterRepair: true });
      return;
    }
    setState({ modelStatus: 'error', modelError, loadProgress: null });
  }
}

/** Retries a load that failed for want of a network as soon as the network returns. */
export function watchConnectivity(): void {
  window.addEventListener('online', () => {
    const { modelStatus, modelError } = getState();
    if (modelStatus === 'error' && modelError?.code === 'network') void loadModel();
  });
}

/** With `?test-hooks=1`, runs report what pixels the model was given, for the image-format tests. */
function describeInputHook(): { describeInput?: true } {
  return readUrlSettings(window.location.search).testHooks ? { describeInput: true } : {};
}

// A fault that happens once is not passed again once it has struck.
let onceFaultSpent = false;
const ONCE_FAULTS: readonly SimulatedFault[] = ['webgpu-device-lost', 'out-of-memory'];

/** Test and benchmark settings from the URL, passed to the worker only when present. */
function faultHook() {
  const settings = readUrlSettings(window.location.search);
  const { wasmThreads, referenceDemo } = settings;
  const fault = settings.simulatedFault;
  const simulatedFault = fault && ONCE_FAULTS.includes(fault) && onceFaultSpent ? undefined : fault;
  return {
    ...(simulatedFault ? { simulatedFault } : {}),
    ...(wasmThreads ? { wasmThreads } : {}),
    ...(referenceDemo ? { referenceDemo } : {}),
  };
}

const IMAGE_TYPES_HINT = 'Choose a JPEG, PNG, WebP, GIF or SVG image.';

export async function selectImageFile(chosen: File): Promise<void> {
  let file = chosen;
  if (file.size === 0) {
    setState({ imageError: `"${file.name}" is empty. ${IMAGE_TYPES_HINT}` });
    return;
  }
  if (file.type && !file.type.startsWith('image/')) {
    setState({ imageError: `"${file.name}" is not an image (${file.type}). ${IMAGE_TYPES_HINT}` });
    return;
  }
  const head = new Uint8Array(await file.slice(0, IMAGE_HEADER_BYTES).arrayBuffer());
  if (isSvg(file.type, file.name, head)) {
    try {
      file = await rasteriseSvg(file);
    } catch {
      setState({ imageError: `"${file.name}" could not be drawn as an SVG image; it may be damaged.` });
      return;
    }
  }
  const tooLarge = oversizeReason(readDeclaredSize(head));
  if (tooLarge) {
    setState({ imageError: `"${file.name}" is too large to open. ${tooLarge}` });
    return;
  }
  let size: { width: number; height: number };
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
  } catch {
    const tail = new Uint8Array(await file.slice(Math.max(0, file.size - IMAGE_TRAILER_BYTES)).arrayBuffer());
    const reason = undecodableReason(head, tail);
    // HEIC and TIFF messages already say what to do instead.
    const hint = reason.kind === 'heif' || reason.kind === 'tiff' ? '' : ` ${IMAGE_TYPES_HINT}`;
    setState({ imageError: `"${file.name}" could not be opened as an image. ${reason.sentence}${hint}` });
    return;
  }
  cancelRun();
  const previous = getState().image;
  if (previous) URL.revokeObjectURL(previous.objectUrl);
  setState({
    image: { id: nextImageId++, file, name: file.name, objectUrl: URL.createObjectURL(file), size },
    imageError: null,
    answers: {},
    shownTask: null,
    runError: null,
    runStatus: 'idle',
    region: null,
    hoveredRegion: null,
    selectedRegion: null,
  });
}

export function setTask(task: TaskToken): void {
  setState({ task, runError: null, runNotice: null, hoveredRegion: null });
}

export function setTaskText(taskText: string): void {
  setState({ taskText });
}

export function setRegion(region: ImageBox | null): void {
  setState({ region });
}

export function showAnswer(task: TaskToken): void {
  setState({ shownTask: task, hoveredRegion: null, selectedRegion: null });
}

export function hoverRegion(hoveredRegion: number | null): void {
  if (getState().hoveredRegion !== hoveredRegion) setState({ hoveredRegion });
}

export function selectRegion(selectedRegion: number | null): void {
  setState({ selectedRegion });
}

export function setShowLabels(showLabels: boolean): void {
  setState({ showLabels });
}

export function setShowFills(showFills: boolean): void {
  setState({ showFills });
}

function inputFor(task: TaskToken, state: AppState, text = state.taskText): TaskInput {
  return taskInputFor(getTask(task), { text, region: state.region, imageSize: state.image?.size ?? null });
}

/** Why the selected task cannot run right now, or null when it can. */
export function runBlocker(state = getState()): string | null {
  if (state.modelStatus !== 'ready') return 'Load the model first.';
  if (!state.image) return 'Choose an image first.';
  if (state.runStatus === 'running') return 'A run is in progress.';
  const input = inputFor(state.task, state);
  return input.ok ? null : input.reason;
}

/**
 * Runs one task on the current image and keeps its answer. Returns null when the run did not
 * complete (cancelled, failed, or the image changed meanwhile); failures are put in the store.
 */
async function runTask(
  image: SelectedImage,
  task: TaskToken,
  input: string,
  signal: AbortSignal,
  lostDevices = 0,
): Promise<CompletedRun | null> {
  const started = performance.now();
  try {
    const output = await modelClient().run(
      { task, taskInput: input, image: image.file, ...describeInputHook() },
      signal,
      (rawText) => setState({ streaming: { imageId: image.id, task, rawText } }),
    );
    // The person may have chosen another image meanwhile; never show an answer on the wrong one.
    if (getState().image?.id !== image.id || signal.aborted) return null;
    const parseStarted = performance.now();
    const answer = parseAnswer(output.task, output.rawText, output.imageSize);
    const run: CompletedRun = {
      imageId: image.id,
      input,
      output,
      answer,
      parseMs: performance.now() - parseStarted,
      elapsedMs: performance.now() - started,
    };
    setState((state) => ({
      streaming: null,
      answers: { ...state.answers, [task]: run },
      shownTask: task,
      hoveredRegion: null,
      selectedRegion: null,
      ...(output.model ? { loadedModel: output.model } : {}),
    }));
    return run;
  } catch (error) {
    setState({ streaming: null });
    if (signal.aborted) return null;
    const runError = asWorkerError(error);
    if (runError.code === 'gpu-device-lost' && lostDevices < MAX_LOST_DEVICES) {
      return rerunOnNewDevice(image, task, input, signal, lostDevices + 1, runError);
    }
    setState({ runStatus: runError.code === 'cancelled' ? 'idle' : 'error', runError, batch: null });
    return null;
  }
}

/** After this many lost GPU devices in one run the model moves to WASM; after one more, it gives up. */
const MAX_LOST_DEVICES = 2;

/**
 * The GPU device was lost in the middle of a run (a driver reset, the GPU unplugged, memory
 * pressure). Once, the run is sent again to a fresh worker with a fresh WebGPU device; if that
 * device is lost too, the model moves to WASM for the rest of the session.
 */
async function rerunOnNewDevice(
  image: SelectedImage,
  task: TaskToken,
  input: string,
  signal: AbortSignal,
  lostDevices: number,
  lost: WorkerError,
): Promise<CompletedRun | null> {
  onceFaultSpent = true;
  const onWasm = lostDevices >= MAX_LOST_DEVICES;
  setState({
    runNotice: onWasm
      ? 'The graphics device was lost again; moving the model to WASM and running it there…'
      : 'The graphics device was lost during the run; running it again on a fresh WebGPU device…',
  });
  await loadModel({ keepRun: true, ...(onWasm ? { devicePreference: 'wasm' } : {}) });
  const { modelStatus, loadedModel } = getState();
  if (signal.aborted) return null;
  if (modelStatus !== 'ready' || !loadedModel) {
    setState({ runStatus: 'error', runError: lost, batch: null });
    return null;
  }
  if (onWasm) {
    const reason = `The WebGPU device was lost twice in one run (${lost.detail ?? lost.message}).`;
    setState({ loadedModel: { ...loadedModel, fallback: { from: 'webgpu', reason } } });
  }
  const run = await runTask(image, task, input, signal, lostDevices);
  if (run) {
    const where = getState().loadedModel?.plan.device === 'webgpu' ? 'a fresh WebGPU device' : 'WASM';
    setState({ runNotice: `The graphics device was lost during the run, so it was run again on ${where}.` });
  }
  return run;
}

/** Starts a run or a sequence of runs, making sure only one is ever in flight. */
async function exclusively(work: (image: SelectedImage, signal: AbortSignal) => Promise<void>): Promise<void> {
  const { image, modelStatus, runStatus } = getState();
  if (!image || modelStatus !== 'ready' || runStatus === 'running') return;
  const abort = new AbortController();
  runAbort = abort;
  setState({ runStatus: 'running', runError: null, runNotice: null });
  try {
    await work(image, abort.signal);
  } finally {
    if (runAbort === abort) {
      runAbort = null;
      setState((state) => ({ runStatus: state.runStatus === 'running' ? 'done' : state.runStatus, batch: null }));
    }
  }
}

export async function runSelectedTask(): Promise<void> {
  const state = getState();
  const blocker = runBlocker(state);
  if (blocker) {
    setState({ runError: { code: 'invalid-request', message: blocker }, runStatus: 'error' });
    return;
  }
  const input = inputFor(state.task, state);
  if (!input.ok) return;
  await exclusively(async (image, signal) => {
    await runTask(image, state.task, input.input, signal);
  });
}

export type CaptionTask = '<CAPTION>' | '<DETAILED_CAPTION>';

/** Captions the image, then grounds that caption's phrases: boxes for the things it mentions. */
export async function runCaptionThenGround(captionTask: CaptionTask): Promise<void> {
  await exclusively(async (image, signal) => {
    const title = 'Caption, then ground it';
    setState({ batch: { title, done: 0, total: 2, current: captionTask, skipped: [] } });
    const caption = await runTask(image, captionTask, '', signal);
    if (!caption) return;
    const grounding = inputFor('<CAPTION_TO_PHRASE_GROUNDING>', getState(), caption.answer.text);
    if (!grounding.ok) {
      setState({ runNotice: 'The caption was empty, so there is nothing to ground.' });
      return;
    }
    setState({ batch: { title, done: 1, total: 2, current: '<CAPTION_TO_PHRASE_GROUNDING>', skipped: [] } });
    await runTask(image, '<CAPTION_TO_PHRASE_GROUNDING>', grounding.input, signal);
  });
}

/**
 * Runs every task on the current image, keeping each answer. Phrase grounding uses the caption;
 * text and region tasks use what the person typed or drew, and are skipped when there is none.
 */
export async function runEveryTask(): Promise<void> {
  await exclusively(async (image, signal) => {
    const title = 'Every task';
    const skipped: string[] = [];
    let done = 0;
    for (const task of TASK_TOKENS) {
      const state = getState();
      const captionText = state.answers['<CAPTION>']?.answer.text ?? '';
      const input =
        task === '<CAPTION_TO_PHRASE_GROUNDING>' ? inputFor(task, state, captionText) : inputFor(task, state);
      if (!input.ok) {
        skipped.push(getTask(task).label);
        continue;
      }
      setState({ batch: { title, done, total: TASK_TOKENS.length - skipped.length, current: task, skipped } });
      if (!(await runTask(image, task, input.input, signal))) return;
      done++;
    }
    if (skipped.length) {
      setState({
        runNotice: `Skipped for want of input: ${skipped.join(', ')}. Type text or draw a region to run them.`,
      });
    }
  });
}

export function cancelRun(): void {
  if (!runAbort) return;
  runAbort.abort();
  runAbort = null;
  setState({ runStatus: 'idle', batch: null, streaming: null });
}
