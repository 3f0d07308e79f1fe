/**
 * Times one Florence-2 sub-model in one dtype on one ONNX Runtime (onnxruntime-web in the browser or
 * onnxruntime-node natively: both have this API), fed as the app feeds it: the vision encoder one
 * 768x768 image (sizes the file fixes, such as the hidden width, are read from it), the text encoder the image's 577 features plus a 13-token prompt, the embeddings one
 * token id, the decoder a first step and then cached steps.
 */
import type { SubModel } from '../../../src/shared/device/policy';
import { outputsThatChange } from '../../../src/worker/engine/decoder-outputs';

type TensorType = 'float32' | 'int64' | 'bool';
type TensorData = Float32Array | BigInt64Array | Uint8Array;

export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
  readonly location?: string;
  dispose?(): void;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  /** Each input's declared shape: numbers where fixed, names where free. */
  readonly inputMetadata?: readonly { readonly name: string; readonly shape?: readonly (number | string)[] }[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtApi {
  readonly Tensor: new (type: TensorType, data: TensorData, dims: readonly number[]) => OrtTensor;
  readonly InferenceSession: { create(model: Uint8Array, options?: object): Promise<OrtSession> };
}

export interface ProbeOptions {
  readonly subModel: SubModel;
  /**
   * Timed calls after the first (decoder: cached steps). Calls stop early, after two, once they have
   * taken CALL_BUDGET_MS: the vision encoder takes seconds a call on one WASM thread.
   */
  readonly calls: number;
  readonly sessionOptions: object;
}

export interface ProbeResult {
  /** From the file's bytes in hand to a ready session. */
  readonly createMs: number;
  readonly firstCallMs: number;
  /** Median of the timed calls; for the decoder, per cached step with every output returned. */
  readonly perCallMs: number;
  /** Decoder only: per cached step asking only for the outputs the next step uses. */
  readonly perCallUsedOutputsMs: number | null;
}

const CALL_BUDGET_MS = 20_000;
const DECODER_WARM_UP_STEPS = 4;
const IMAGE_TOKENS = 577;
const PROMPT_TOKENS = 13;
const ENCODER_LENGTH = IMAGE_TOKENS + PROMPT_TOKENS;
// Florence-2-base's sizes, for a file that leaves them free; fixed sizes are read from the file.
const BASE_HIDDEN = 768;
const BASE_IMAGE_SIDE = 768;

function declaredShape(session: OrtSession, input: string): readonly (number | string)[] | undefined {
  return session.inputMetadata?.find((metadata) => metadata.name === input)?.shape;
}

function fixedDim(session: OrtSession, input: string, axis: number, fallback: number): number {
  const dim = declaredShape(session, input)?.at(axis);
  return typeof dim === 'number' && dim > 0 ? dim : fallback;
}

/** An empty cache input as transformers.js builds it: batch 1, other free sizes 0, fixed ones kept. */
function emptyCacheDims(session: OrtSession, input: string): number[] {
  const shape = declaredShape(session, input);
  if (!shape) return [1, 12, 0, 64];
  return shape.map((dim) => (typeof dim === 'number' ? dim : dim === 'batch_size' ? 1 : 0));
}

/** Deterministic values in [-1, 1): the kernels' speed must not depend on a random draw. */
function pattern(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = ((state >>> 0) / 0x100000000) * 2 - 1;
  }
  return values;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

function singleInputFeeds(ort: OrtApi, session: OrtSession, subModel: SubModel): Record<string, OrtTensor> {
  const imageSide = fixedDim(session, 'pixel_values', 2, BASE_IMAGE_SIDE);
  const hidden = fixedDim(session, 'inputs_embeds', 2, BASE_HIDDEN);
  switch (subModel) {
    case 'embed_tokens':
      return { input_ids: new ort.Tensor('int64', BigInt64Array.of(50300n), [1, 1]) };
    case 'vision_encoder':
      return {
        pixel_values: new ort.Tensor('float32', pattern(3 * imageSide * imageSide, 1), [1, 3, imageSide, imageSide]),
      };
    case 'encoder_model':
      return {
        inputs_embeds: new ort.Tensor('float32', pattern(ENCODER_LENGTH * hidden, 2), [1, ENCODER_LENGTH, hidden]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(ENCODER_LENGTH).fill(1n), [1, ENCODER_LENGTH]),
      };
    default:
      throw new Error(`${subModel} is not a single-call sub-model`);
  }
}

/** The decoder's inputs for one step: its cache from the step before (empty on the first). */
function decoderFeeds(
  ort: OrtApi,
  session: OrtSession,
  encoderStates: OrtTensor,
  step: number,
  cache: Record<string, OrtTensor>,
): Record<string, OrtTensor> {
  const hidden = fixedDim(session, 'inputs_embeds', 2, BASE_HIDDEN);
  const feeds: Record<string, OrtTensor> = {
    inputs_embeds: new ort.Tensor('float32', pattern(hidden, 100 + step), [1, 1, hidden]),
    encoder_hidden_states: encoderStates,
    encoder_attention_mask: new ort.Tensor('int64', new BigInt64Array(ENCODER_LENGTH).fill(1n), [1, ENCODER_LENGTH]),
    use_cache_branch: new ort.Tensor('bool', Uint8Array.of(step > 0 ? 1 : 0), [1]),
  };
  for (const name of session.inputNames) {
    if (!name.startsWith('past_key_values.')) continue;
    feeds[name] =
      cache[name.replace('past_key_values.', 'present.')] ??
      new ort.Tensor('float32', new Float32Array(0), emptyCacheDims(session, name));
  }
  return feeds;
}

/** Steps after the first, feeding each step's cache to the next; per-step times. */
async function decoderSteps(
  ort: OrtApi,
  session: OrtSession,
  encoderStates: OrtTensor,
  first: Record<string, OrtTensor>,
  steps: number,
  usedOutputsOnly: boolean,
): Promise<number[]> {
  // As the app asks (decoder-outputs.ts): the encoder half of the cache never changes after step one.
  const used = outputsThatChange(session.outputNames);
  let cache = first;
  const times: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const feeds = decoderFeeds(ort, session, encoderStates, step, cache);
    const [outputs, ms] = await timed(() => (usedOutputsOnly ? session.run(feeds, used) : session.run(feeds)));
    times.push(ms);
    const next: Record<string, OrtTensor> = { ...cache, ...outputs };
    for (const [name, tensor] of Object.entries(cache)) {
      if (next[name] !== tensor && tensor.location === 'gpu-buffer') tensor.dispose?.();
    }
    cache = next;
  }
  return times;
}

export async function probeSubModel(ort: OrtApi, modelBytes: Uint8Array, options: ProbeOptions): Promise<ProbeResult> {
  const [session, createMs] = await timed(() => ort.InferenceSession.create(modelBytes, options.sessionOptions));
  try {
    if (options.subModel !== 'decoder_model_merged') {
      const feeds = singleInputFeeds(ort, session, options.subModel);
      const [, firstCallMs] = await timed(() => session.run(feeds));
      const times: number[] = [];
      for (let call = 0; call < options.calls; call++) {
        times.push((await timed(() => session.run(feeds)))[1]);
        if (times.length >= 2 && times.reduce((sum, ms) => sum + ms, 0) > CALL_BUDGET_MS) break;
      }
      return { createMs, firstCallMs, perCallMs: median(times), perCallUsedOutputsMs: null };
    }
    const hidden = fixedDim(session, 'encoder_hidden_states', 2, BASE_HIDDEN);
    const encoderStates = new ort.Tensor('float32', pattern(ENCODER_LENGTH * hidden, 3), [1, ENCODER_LENGTH, hidden]);
    const [first, firstCallMs] = await timed(() => session.run(decoderFeeds(ort, session, encoderStates, 0, {})));
    // Unmeasured steps first (allocations settle), then both ways of asking in turn, twice, so that
    // neither is favoured by coming later.
    await decoderSteps(ort, session, encoderStates, first, DECODER_WARM_UP_STEPS, true);
    const all: number[] = [];
    const used: number[] = [];
    for (let round = 0; round < 2; round++) {
      all.push(...(await decoderSteps(ort, session, encoderStates, first, options.calls, false)));
      used.push(...(await decoderSteps(ort, session, encoderStates, first, options.calls, true)));
    }
    return { createMs, firstCallMs, perCallMs: median(all), perCallUsedOutputsMs: median(used) };
  } finally {
    await session.release();
  }
}
