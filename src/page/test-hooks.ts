/**
 * Test hooks, on only with `?test-hooks=1` (and `?fault=`): what the e2e tests and the benchmark
 * read and trigger through `window.florenceTestHooks`. Each goes through the code path users run; the
 * hooks only observe it, or start a model worker with a simulated fault.
 */

import type { PixelSummary } from '../shared/image-pixels';
import type { OverlayScene } from '../shared/overlay/layout';
import { modelWorkerName, SIMULATED_FAULTS, type SimulatedFault } from '../shared/simulated-faults';
import type { OverlayStyle } from './render/draw-overlay';
import type { WorkerPort } from './session/worker-client';
import { type AppState, useAppStore } from './state/store';

/** The last overlay drawn, kept only while the hooks are on. */
export interface DrawnOverlay {
  readonly scene: OverlayScene;
  readonly style: OverlayStyle;
  readonly drawMs: number;
}

export interface FlorenceTestHooks {
  getState(): AppState;
  /** Calls `listener` on every change of the app's state; returns the unsubscribe function. */
  subscribe(listener: (state: AppState) => void): () => void;
  /** The model worker dies as abruptly as in a crash. */
  crashWorker(): void;
  /** The summary of the pixels the model was given for the answer on screen (with `?input-pixels=1`). */
  inputPixels(): PixelSummary | null;
  overlay(): DrawnOverlay | null;
}

let drawnOverlay: DrawnOverlay | null = null;
let hooksOn = false;

export function recordDrawnOverlay(overlay: DrawnOverlay): void {
  if (hooksOn) drawnOverlay = overlay;
}

/** A worker that can be made to crash: terminated, and the error event the browser sends for a crash. */
class CrashableWorker implements WorkerPort {
  private readonly errorListeners: ((event: Event) => void)[] = [];

  constructor(private readonly worker: Worker) {}

  postMessage(message: Parameters<WorkerPort['postMessage']>[0]): void {
    this.worker.postMessage(message);
  }

  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void {
    if (type === 'error') this.errorListeners.push(listener);
    this.worker.addEventListener(type, listener);
  }

  terminate(): void {
    this.worker.terminate();
  }

  crash(): void {
    this.worker.terminate();
    const event = new ErrorEvent('error', { message: 'Simulated crash', cancelable: true });
    for (const listener of this.errorListeners) listener(event);
  }
}

/**
 * Starts model workers for the test hooks: the first simulates `fault`, and later ones too unless
 * it strikes once (a fault that struck is not passed to the worker that replaces the one it hit).
 */
export function testWorkerFactory(fault: SimulatedFault | undefined): {
  createWorker: () => WorkerPort;
  crashWorker: () => void;
} {
  let started = 0;
  let current: CrashableWorker | null = null;
  return {
    createWorker: () => {
      const simulated = fault && (started === 0 || !SIMULATED_FAULTS[fault].strikesOnce) ? fault : null;
      started++;
      // Named for the fault it simulates: the worker reads it back from its name.
      const worker = new Worker(new URL('../worker/florence.worker.ts', import.meta.url), {
        type: 'module',
        name: modelWorkerName(simulated),
      });
      current = new CrashableWorker(worker);
      return current;
    },
    crashWorker: () => current?.crash(),
  };
}

export function installTestHooks(crashWorker: () => void): void {
  hooksOn = true;
  const hooks: FlorenceTestHooks = {
    getState: useAppStore.getState,
    subscribe: (listener) => useAppStore.subscribe(listener),
    crashWorker,
    inputPixels: () => {
      const { shownTask, answers } = useAppStore.getState();
      return (shownTask && answers[shownTask]?.output.inputPixels) ?? null;
    },
    overlay: () => drawnOverlay,
  };
  (window as Window & { florenceTestHooks?: FlorenceTestHooks }).florenceTestHooks = hooks;
}
