/**
 * Range requests as the model servers answer them (the Vite plugin and the test/bench static host):
 * transformers.js and the app ask for `bytes=0-0` to learn a file's size before downloading it.
 */

export interface ByteRange {
  readonly start: number;
  readonly end: number;
  /** True when a Range header asked for it (answered 206), false for the whole file (200). */
  readonly partial: boolean;
}

/** The bytes a request's Range header asks for, or null when they lie outside the file (416). */
export function requestedRange(header: string | undefined, size: number): ByteRange | null {
  const range = /^bytes=(\d+)-(\d*)$/.exec(header ?? '');
  if (!range) return { start: 0, end: size - 1, partial: false };
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  return start > end ? null : { start, end, partial: true };
}

/** Status and headers for a (possibly partial) file answer. */
export function rangeResponse(range: ByteRange, size: number): { status: number; headers: Record<string, string> } {
  return {
    status: range.partial ? 206 : 200,
    headers: {
      'Accept-Ranges': 'bytes',
      'Content-Length': String(range.end - range.start + 1),
      ...(range.partial ? { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` } : {}),
    },
  };
}

/** The answer to a range that lies outside the file. */
export function unsatisfiableResponse(size: number): { status: number; headers: Record<string, string> } {
  return { status: 416, headers: { 'Content-Range': `bytes */${size}` } };
}
