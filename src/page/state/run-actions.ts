/**
 * Running tasks on the image on screen: one run (or sequence of runs) at a time, each answer kept
 * under the task and image it was computed for. Recovery from failures is the model session's.
 */
import { type TaskInput, taskInputFor } from '../../shared/florence/task-input';
import { getTask, TASK_TOKENS, type TaskToken } from '../../shared/florence/tasks';
import type { AnswerQuality } from '../../shared/generation/config';
import type { ImageBox } from '../../shared/geometry/coordinates';
import { asSessionError, florence2 } from './session-link';
import { type AppState, type CompletedRun, effectiveQuality, type SelectedImage, useAppStore } from './store';
import { readUrlSettings } from './url-settings';

const { setState, getState } = useAppStore;

let runAbort: AbortController | null = null;

export function setQuality(quality: AnswerQuality): void {
  setState({ quality });
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
): Promise<CompletedRun | null> {
  const started = performance.now();
  // Preparing the image comes first; the worker says when each later phase starts.
  setState({ runPhase: 'preparing-image' });
  try {
    const result = await florence2().run(task, image.file, {
      taskInput: input,
      imageSize: image.size,
      quality: effectiveQuality(getState()),
      signal,
      onToken: (_text, rawText) => setState({ streaming: { imageId: image.id, task, rawText } }),
      onPhase: (runPhase) => {
        if (!signal.aborted) setState({ runPhase });
      },
      ...(readUrlSettings(window.location.search).inputPixels ? { reportInputPixels: true } : {}),
    });
    // The person may have chosen another image meanwhile; never show an answer on the wrong one.
    if (getState().image?.id !== image.id || signal.aborted) return null;
    const { output, timings, ...answer } = result;
    const run: CompletedRun = {
      imageId: image.id,
      input,
      output,
      answer,
      parseMs: timings.parseMs,
      elapsedMs: performance.now() - started,
    };
    setState((state) => ({
      streaming: null,
      runPhase: null,
      answers: { ...state.answers, [task]: run },
      shownTask: task,
      hoveredRegion: null,
      selectedRegion: null,
    }));
    return run;
  } catch (error) {
    // A cancelled run's phase is already cleared, and a newer run may have set its own since.
    setState({ streaming: null, ...(signal.aborted ? {} : { runPhase: null }) });
    if (signal.aborted) return null;
    const runError = asSessionError(error);
    setState({ runStatus: runError.code === 'cancelled' ? 'idle' : 'error', runError, batch: null });
    return null;
  }
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
      setState((state) => ({
        runStatus: state.runStatus === 'running' ? 'done' : state.runStatus,
        runPhase: null,
        batch: null,
      }));
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

/** Captions the image, then grounds that caption's phrases: boxes for the things it mentions. */
export async function runCaptionThenGround(captionTask: TaskToken): Promise<void> {
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
    const started = performance.now();
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
    // The progress line goes when the sequence ends; this says what it did.
    setState({ runNotice: everyTaskSummary(done, performance.now() - started, skipped) });
  });
}

/** What "Run every task" leaves on screen when it has finished. */
export function everyTaskSummary(answered: number, elapsedMs: number, skipped: readonly string[]): string {
  const answeredText = `Every task: ${answered} ${answered === 1 ? 'answer' : 'answers'} in ${(elapsedMs / 1000).toFixed(1)} s.`;
  return skipped.length
    ? `${answeredText} Skipped for want of input: ${skipped.join(', ')}. Type text or draw a region to run them.`
    : answeredText;
}

export function cancelRun(): void {
  if (!runAbort) return;
  runAbort.abort();
  runAbort = null;
  setState({ runStatus: 'idle', runPhase: null, batch: null, streaming: null });
}
