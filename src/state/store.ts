/**
 * The app's one store, built from slices. Actions live in actions.ts as plain functions.
 */
import { create } from 'zustand';
import type { DevicePreference } from '../core/device/policy';
import type { FlorenceAnswer } from '../core/florence/parse';
import type { TaskToken } from '../core/florence/tasks';
import type { ImageSize } from '../core/geometry/bins';
import type { LoadedModel, LoadProgress, TaskOutput, WorkerError } from '../worker/protocol';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelSlice {
  modelSourceText: string;
  devicePreference: DevicePreference;
  modelStatus: ModelStatus;
  loadProgress: LoadProgress | null;
  loadedModel: LoadedModel | null;
  modelError: WorkerError | null;
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
  taskInput: string;
}

export interface CompletedRun {
  readonly imageId: number;
  readonly output: TaskOutput;
  readonly answer: FlorenceAnswer;
  /** From pressing Run to the answer on screen, as the person experienced it. */
  readonly elapsedMs: number;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

export interface RunSlice {
  runStatus: RunStatus;
  lastRun: CompletedRun | null;
  runError: WorkerError | null;
}

export type AppState = ModelSlice & ImageSlice & TaskSlice & RunSlice;

export const initialState: AppState = {
  modelSourceText: '',
  devicePreference: 'auto',
  modelStatus: 'idle',
  loadProgress: null,
  loadedModel: null,
  modelError: null,
  image: null,
  imageError: null,
  task: '<CAPTION>',
  taskInput: '',
  runStatus: 'idle',
  lastRun: null,
  runError: null,
};

export const useAppStore = create<AppState>()(() => initialState);
