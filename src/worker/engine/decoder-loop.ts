/**
 * The decoder as the search in shared/generation/search.ts calls it: one call a step for every
 * beam at once (one batch row a beam), with the self-attention cache gathered into the rows' new
 * order. The cross-attention cache is the same for every beam (one image, one prompt), so it is
 * made for each row once (copied on the CPU, computed per row on a GPU) and never reordered.
 */
import { Tensor } from '@huggingface/transformers';
import type { DecoderStep, StepRequest } from '../../shared/generation/search';
import type { FlorenceInternals } from './runtime';

/** The parts of an onnxruntime tensor used here (CPU data, or a GPU buffer on WebGPU). */
interface OrtValue {
  readonly type: string;
  readonly dims: readonly number[];
  readonly location?: string;
  readonly data: ArrayLike<number> & { readonly length: number };
  getData(releaseData?: boolean): Promise<ArrayLike<number>>;
  dispose(): void;
}

interface ValueMetadata {
  readonly name: string;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

export interface DecoderSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly ValueMetadata[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtValue>>;
}

type NumericArray = ArrayLike<number> & {
  readonly length: number;
  subarray(start: number, end: number): NumericArray;
  set(source: ArrayLike<number>, offset: number): void;
};

const PAST = 'past_key_values.';
const isEncoderCache = (name: string) => name.includes('.encoder.');

/** The onnxruntime tensor under a transformers.js one, as a session takes it. */
export const ortOf = (tensor: Tensor) => (tensor as unknown as { ort_tensor: unknown }).ort_tensor;

function newArrayLike(data: NumericArray, length: number): NumericArray {
  const ArrayType = (data as unknown as { constructor: new (length: number) => NumericArray }).constructor;
  return new ArrayType(length);
}

/** The tensor's data on the CPU; a GPU buffer is downloaded and released (its source is spent). */
async function cpuData(value: OrtValue): Promise<NumericArray> {
  return (value.location === 'gpu-buffer' ? await value.getData(true) : value.data) as NumericArray;
}

/** Rows of a [rows, ...] tensor taken in `sources` order, as a new CPU tensor. */
async function gatherRows(value: OrtValue, sources: readonly number[]): Promise<Tensor> {
  const data = await cpuData(value);
  const rows = value.dims[0] ?? 1;
  const rowSize = data.length / rows;
  const gathered = newArrayLike(data, rowSize * sources.length);
  for (const [row, source] of sources.entries()) {
    gathered.set(data.subarray(source * rowSize, (source + 1) * rowSize), row * rowSize);
  }
  return new Tensor(value.type as 'float32', gathered as unknown as Float32Array, [
    sources.length,
    ...value.dims.slice(1),
  ]);
}

const isIdentity = (sources: readonly number[], rows: number) =>
  sources.length === rows && sources.every((source, row) => source === row);

function disposeGpu(value: unknown): void {
  const ort = value as Partial<OrtValue> | undefined;
  if (ort?.location === 'gpu-buffer') ort.dispose?.();
}

/** Half-precision bits to a number (logits of fp16 decoders arrive as raw 16-bit words without Float16Array). */
function halfToNumber(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function logitRows(logits: OrtValue): ArrayLike<number>[] {
  const rows = logits.dims[0] ?? 1;
  const vocabulary = logits.dims.at(-1) ?? 0;
  const steps = logits.data.length / (rows * vocabulary);
  let data = logits.data as NumericArray;
  if (logits.type === 'float16' && data instanceof Uint16Array) {
    data = Float32Array.from(data, halfToNumber) as unknown as NumericArray;
  }
  // The last position of each row holds the next token's logits.
  return Array.from({ length: rows }, (_, row) => {
    const start = (row * steps + steps - 1) * vocabulary;
    return data.subarray(start, start + vocabulary);
  });
}

export interface DecoderLoop {
  readonly step: DecoderStep;
  /** Frees the caches held between steps (GPU buffers on WebGPU). */
  dispose(): void;
}

/**
 * A decoder step function over `encoderOutput` ([1, sequence, hidden]) and its attention mask.
 */
export function createDecoderLoop(
  internals: FlorenceInternals,
  encoderOutput: Tensor,
  encoderMask: Tensor,
  options: { readonly batchFirstStep: boolean },
): DecoderLoop {
  const session = internals.sessions.decoder_model_merged as unknown as DecoderSessionLike;
  const pastNames = session.inputNames.filter((name) => name.startsWith(PAST));
  let selfCache = new Map<string, OrtValue | Tensor>();
  let crossCache = new Map<string, OrtValue | Tensor>();
  let crossRows = 1;
  let batchRows = 1;
  let encoderStates: Tensor = encoderOutput;
  let encoderAttention: Tensor = encoderMask;

  const emptyPast = (name: string, rows: number): Tensor => {
    const meta = session.inputMetadata?.find((entry) => entry.name === name);
    const shape = (meta?.shape ?? []).map((dim) => (typeof dim === 'number' ? dim : dim === 'batch_size' ? rows : 0));
    const type = (meta?.type ?? 'float32') as 'float32';
    return new Tensor(type, type === ('float16' as string) ? new Uint16Array(0) : new Float32Array(0), shape);
  };

  const tileEncoder = async (rows: number) => {
    if (rows === crossRows) return;
    const sources = Array.from({ length: rows }, () => 0);
    const tiled = new Map<string, OrtValue | Tensor>();
    for (const [name, value] of crossCache) {
      tiled.set(name, await gatherRows(value instanceof Tensor ? (ortOf(value) as OrtValue) : value, sources));
      disposeGpu(value);
    }
    crossCache = tiled;
    encoderStates = await gatherRows(ortOf(encoderOutput) as OrtValue, sources);
    encoderAttention = await gatherRows(ortOf(encoderMask) as OrtValue, sources);
    crossRows = rows;
  };

  const step: DecoderStep = async (request: StepRequest) => {
    const { sources } = request;
    // On the CPU the first step (which computes the cross-attention cache) runs once for the
    // identical start rows and is copied to each beam afterwards; on a GPU every row runs, so the
    // cache is born batched in GPU memory and never crosses to the CPU.
    const onceForAll = sources === null && !options.batchFirstStep && request.tokens.length > 1;
    const tokens = onceForAll ? request.tokens.slice(0, 1) : request.tokens;
    const rows = tokens.length;
    if (sources === null && rows > 1) await tileEncoder(rows);
    const ids = new Tensor(
      'int64',
      BigInt64Array.from(tokens, (token) => BigInt(token)),
      [rows, 1],
    );
    const embeds = await internals.encode_text({ input_ids: ids });
    const feeds: Record<string, unknown> = {
      inputs_embeds: ortOf(embeds),
      use_cache_branch: ortOf(new Tensor('bool', [sources !== null], [1])),
    };
    const previousSelfCache = selfCache;
    if (sources === null) {
      for (const name of pastNames) feeds[name] = ortOf(emptyPast(name, rows));
    } else {
      await tileEncoder(rows);
      const reordered = new Map<string, OrtValue | Tensor>();
      for (const [name, value] of selfCache) {
        const ort = value instanceof Tensor ? (ortOf(value) as OrtValue) : value;
        reordered.set(name, isIdentity(sources, batchRows) ? value : await gatherRows(ort, sources));
      }
      selfCache = reordered;
      for (const name of pastNames) {
        const value = (isEncoderCache(name) ? crossCache : selfCache).get(name);
        feeds[name] = value instanceof Tensor ? ortOf(value) : value;
      }
    }
    if (session.inputNames.includes('encoder_hidden_states')) feeds.encoder_hidden_states = ortOf(encoderStates);
    if (session.inputNames.includes('encoder_attention_mask')) feeds.encoder_attention_mask = ortOf(encoderAttention);

    const outputs = await session.run(feeds);
    const nextSelfCache = new Map<string, OrtValue | Tensor>();
    for (const [name, value] of Object.entries(outputs)) {
      if (!name.startsWith('present.')) continue;
      const pastName = `${PAST}${name.slice('present.'.length)}`;
      if (isEncoderCache(name)) {
        // Only the first step returns it (later steps ask for the changing outputs only).
        if (sources === null) crossCache.set(pastName, value);
        else disposeGpu(value);
      } else {
        nextSelfCache.set(pastName, value);
      }
    }
    // The caches fed in this step are spent once the new ones exist.
    for (const value of previousSelfCache.values()) disposeGpu(value);
    selfCache = nextSelfCache;
    batchRows = rows;
    const logits = outputs.logits;
    if (!logits) throw new Error('The decoder returned no logits.');
    const rowLogits = logitRows(logits);
    return onceForAll ? request.tokens.map(() => rowLogits[0] ?? new Float32Array(0)) : rowLogits;
  };

  return {
    step,
    dispose() {
      for (const value of [...selfCache.values(), ...crossCache.values()]) disposeGpu(value);
      selfCache.clear();
      crossCache.clear();
    },
  };
}
