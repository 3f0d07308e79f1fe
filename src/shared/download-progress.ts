/** Per-file download progress, summed for one progress bar. */

export interface FileProgress {
  readonly file: string;
  readonly loaded: number;
  /** 0 when the server did not say how big the file is. */
  readonly total: number;
  readonly done: boolean;
}

export interface DownloadSummary {
  readonly loaded: number;
  readonly total: number;
  /** 0..1, or null while some file's size is unknown. */
  readonly fraction: number | null;
  readonly filesDone: number;
  readonly fileCount: number;
}

export function summarizeDownloads(files: readonly FileProgress[]): DownloadSummary {
  let loaded = 0;
  let total = 0;
  let sizeKnown = true;
  let filesDone = 0;
  for (const file of files) {
    loaded += file.loaded;
    total += Math.max(file.total, file.loaded);
    if (file.done) filesDone++;
    else if (file.total <= 0) sizeKnown = false;
  }
  const fraction = files.length === 0 || !sizeKnown ? null : total === 0 ? 1 : Math.min(1, loaded / total);
  return { loaded, total, fraction, filesDone, fileCount: files.length };
}

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** Decimal units, as download sizes are usually quoted. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

export interface ProgressSample {
  readonly atMs: number;
  readonly loaded: number;
}

/**
 * Seconds left at the average rate since the first sample, or null until there is a rate to go on.
 */
export function secondsLeft(first: ProgressSample, latest: ProgressSample, total: number): number | null {
  const elapsedMs = latest.atMs - first.atMs;
  const bytes = latest.loaded - first.loaded;
  if (elapsedMs < 500 || bytes <= 0 || total <= 0) return null;
  return Math.max(0, (total - latest.loaded) / (bytes / (elapsedMs / 1000)));
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
