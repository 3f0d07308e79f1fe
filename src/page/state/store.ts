/**
 * The app's one store, built from slices. Actions are plain functions in the *-actions.ts files; the
 * model slice follows the model session (model-actions.ts).
 */
import { create } from 'zustand';
import type { DevicePreference, DtypePreset } from '../../shared/device/policy';
import { type FlorenceAnswer, parseAnswer } from '../../shared/florence/parse';
import type { TaskToken } from '../../shared/florence/tasks';
import type { AnswerQuality } from '../../shared/generation/config';
import { defaultQuality } from '../../shared/generation/quality-policy';
import type { ImageSize } from '../../shared/geometry/bins';
import type { ImageBox } from '../../shared/geometry/coordinates';
import type { LoadProgress, RunPhase, TaskOutput } from '../../shared/protocol';
import { RUN_PHASE_TEXT } from '../../shared/run-stages';
import type { SessionError, SessionModel } from '../session/model-session';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelSlice {
  modelSourceText: string;
  devicePreference: DevicePreference;
  dtypePreset: DtypePreset;
  modelStatus: ModelStatus;
  loadProgress: LoadProgress | null;
  loadedModel: SessionModel | null;
  modelError: SessionError | null;
}

export interface SelectedImage {
  /** Increases with every image chosen, so an answer is only ever shown on the image it belongs to. */
  readonly id: number;
  readonly file: Blob;
  readonly name: string;
  readonly objectUrl: string;
  readonly size: ImageSize;
}

export interface ImageSlice {
  image: SelectedImage | null;
  imageError: string | null;
}

export interface TaskSlice {
  task: TaskToken;
  /** What the person typed for tasks that take text. */
  taskText: string;
  /** The region drawn or typed for region tasks, in image pixels. */
  region: ImageBox | null;
  /** The person's choice of decoding; null keeps the device's default. */
  quality: AnswerQuality | null;
}

export interface CompletedRun {
  readonly imageId: number;
  /** The text spliced into the prompt (typed text, joined classes or region tokens). */
  readonly input: string;
  readonly output: TaskOutput;
  readonly answer: FlorenceAnswer;
  readonly parseMs: number;
  /** From pressing Run to the answer on screen, as the person experienced it. */
  readonly elapsedMs: number;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

/** The answer being generated, as far as it got. */
export interface StreamingAnswer {
  readonly imageId: number;
  readonly task: TaskToken;
  readonly rawText: string;
}

/** Progress of a sequence of runs (a cascade, or every task). */
export interface BatchProgress {
  readonly title: string;
  readonly done: number;
  readonly total: number;
  readonly current: TaskToken | null;
  readonly skipped: readonly string[];
}

export interface RunSlice {
  runStatus: RunStatus;
  /** What the run in progress is doing (preparing the image, encoding it, generating); null when none runs. */
  runPhase: RunPhase | null;
  /** Every answer obtained for the current image, by task; a new run of a task replaces its answer. */
  answers: Partial<Record<TaskToken, CompletedRun>>;
  /** Which kept answer is on screen. */
  shownTask: TaskToken | null;
  runError: SessionError | null;
  streaming: StreamingAnswer | null;
  /** Something worth knowing about the last run that is not an error. */
  runNotice: string | null;
  batch: BatchProgress | null;
}

export interface ViewSlice {
  hoveredRegion: number | null;
  selectedRegion: number | null;
  showLabels: boolean;
  showFills: boolean;
  /** Regions scored below this are hidden (0 shows every region). */
  minScore: number;
}

export interface AppShellSlice {
  /** A new version of the app is installed and waiting for a reload. */
  updateAvailable: boolean;
}

export type AppState = ModelSlice & ImageSlice & TaskSlice & RunSlice & ViewSlice & AppShellSlice;

export const initialState: AppState = {
  modelSourceText: '',
  devicePreference: 'auto',
  dtypePreset: 'auto',
  modelStatus: 'idle',
  loadProgress: null,
  loadedModel: null,
  modelError: null,
  image: null,
  imageError: null,
  task: '<CAPTION>',
  taskText: '',
  region: null,
  quality: null,
  runStatus: 'idle',
  runPhase: null,
  answers: {},
  shownTask: null,
  runError: null,
  streaming: null,
  runNotice: null,
  batch: null,
  hoveredRegion: null,
  selectedRegion: null,
  showLabels: true,
  showFills: true,
  minScore: 0,
  updateAvailable: false,
};

export const useAppStore = create<AppState>()(() => initialState);

/** The answer on screen, if it belongs to the image on screen. */
export function shownRun(state: AppState): CompletedRun | null {
  const run = state.shownTask ? state.answers[state.shownTask] : undefined;
  return run && state.image && run.imageId === state.image.id ? run : null;
}

let lastPartial: { streaming: StreamingAnswer; size: ImageSize; answer: FlorenceAnswer } | null = null;

/** The answer being generated for the image on screen, parsed as far as it got (memoised). */
export function partialAnswer(state: AppState): FlorenceAnswer | null {
  const { streaming, image } = state;
  if (!streaming || !image || streaming.imageId !== image.id || state.runStatus !== 'running') return null;
  if (lastPartial?.streaming !== streaming || lastPartial.size !== image.size) {
    lastPartial = { streaming, size: image.size, answer: parseAnswer(streaming.task, streaming.rawText, image.size) };
  }
  return lastPartial.answer;
}

/** What the app says the run in progress is doing, or null when nothing runs. */
export function runPhaseText(state: AppState): string | null {
  return state.runStatus === 'running' && state.runPhase ? RUN_PHASE_TEXT[state.runPhase] : null;
}

/** How the next run decodes: the person's choice, else the loaded device's default. */
export function effectiveQuality(state: AppState): AnswerQuality {
  return state.quality ?? defaultQuality(state.loadedModel?.plan.device ?? 'wasm');
}
