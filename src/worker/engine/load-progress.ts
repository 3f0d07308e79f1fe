/**
 * Turns transformers.js's per-file progress events into the protocol's load progress, at most every
 * PROGRESS_INTERVAL_MS except for a file starting or finishing.
 */
import type { FileProgress } from '../../shared/download-progress';
import type { LoadProgress } from '../../shared/protocol';
import type { LibraryProgress } from './runtime-loader';

const PROGRESS_INTERVAL_MS = 100;

export class ProgressReporter {
  private readonly files = new Map<string, FileProgress>();
  private lastSent = 0;

  constructor(private readonly send: (progress: LoadProgress) => void) {}

  phase(phase: LoadProgress['phase']): void {
    this.send({ phase, files: [...this.files.values()] });
  }

  onLibraryProgress = (event: LibraryProgress): void => {
    const file = event.file;
    if (!file) return;
    const previous = this.files.get(file) ?? { file, loaded: 0, total: 0, done: false };
    let urgent = false;
    if (event.status === 'initiate') urgent = true;
    if (event.status === 'progress') {
      this.files.set(file, { ...previous, loaded: event.loaded ?? 0, total: event.total ?? 0 });
    } else if (event.status === 'done') {
      this.files.set(file, { ...previous, loaded: Math.max(previous.loaded, previous.total), done: true });
      urgent = true;
    } else {
      this.files.set(file, previous);
    }
    const now = performance.now();
    if (!urgent && now - this.lastSent < PROGRESS_INTERVAL_MS) return;
    this.lastSent = now;
    const files = [...this.files.values()];
    this.send({ phase: files.every((entry) => entry.done) ? 'compiling' : 'downloading', files });
  };
}
