/**
 * The merged decoder returns its whole cache every step, but the encoder half (cross-attention keys
 * and values, about 22 MB for Florence-2-base) is the same after the first step, and the decoder loop
 * (decoder-loop.ts) keeps the first step's copy. Asking only for the outputs that change saves copying it out of the
 * runtime (and, on WebGPU, allocating fresh GPU buffers for it) at every token.
 */

const CONSTANT_AFTER_FIRST_STEP = /^present\.\d+\.encoder\./;

export interface DecoderSession {
  readonly outputNames: readonly string[];
  run(feeds: Record<string, { readonly data?: unknown }>, ...rest: unknown[]): Promise<unknown>;
}

/** A cached step: the merged decoder's `use_cache_branch` input is true. */
export function isCachedStep(feeds: Record<string, { readonly data?: unknown }>): boolean {
  const flag = feeds.use_cache_branch?.data;
  return ArrayBuffer.isView(flag) && (flag as Uint8Array)[0] === 1;
}

/** The outputs a cached step must return: the logits and the self-attention (decoder) caches. */
export function outputsThatChange(outputNames: readonly string[]): string[] {
  return outputNames.filter((name) => !CONSTANT_AFTER_FIRST_STEP.test(name));
}

export function fetchOnlyChangingOutputs(session: DecoderSession): void {
  const changing = outputsThatChange(session.outputNames);
  if (changing.length === session.outputNames.length) return;
  const run = session.run.bind(session);
  session.run = (feeds, ...rest) =>
    // Only the plain call the decoder loop makes is narrowed; a caller naming its outputs is left alone.
    rest.length === 0 && isCachedStep(feeds) ? run(feeds, changing) : run(feeds, ...rest);
}
