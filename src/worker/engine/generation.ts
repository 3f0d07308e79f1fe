/**
 * One Florence-2 answer: image features (cached per image content, so later tasks on the same image
 * skip the vision encoder), prompt embedding, generation with streamed tokens, and per-stage timings.
 */
import {
  BaseStreamer,
  type Florence2ForConditionalGeneration,
  InterruptableStoppingCriteria,
  type PreTrainedTokenizer,
  type Processor,
  type RawImage,
  type Tensor,
} from '@huggingface/transformers';
import type { ImageSize } from '../../shared/geometry/bins';
import type { PixelSummary } from '../../shared/image-pixels';
import type { StageTimings } from '../../shared/protocol';
import { decodeImage } from './decode-image';
import { EngineError } from './engine';

/** The model methods used here; transformers.js marks them internal, so they are typed narrowly. */
interface FlorenceInternals {
  encode_image(inputs: { pixel_values: Tensor }): Promise<Tensor>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  _merge_input_ids_with_image_features(inputs: {
    inputs_embeds: Tensor;
    image_features: Tensor;
    input_ids: Tensor;
    attention_mask: Tensor;
  }): { inputs_embeds: Tensor; attention_mask: Tensor };
  sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }>;
}

export interface Runtime {
  readonly model: Florence2ForConditionalGeneration;
  readonly processor: Processor;
  readonly tokenizer: PreTrainedTokenizer;
}

interface CachedImage {
  readonly size: ImageSize;
  readonly features: Tensor;
  readonly summary?: PixelSummary;
}

/** Image features of the most recent images, keyed by a hash of the file's bytes. */
export class ImageFeatureCache {
  private readonly entries = new Map<string, CachedImage>();

  constructor(private readonly capacity = 8) {}

  get(key: string): CachedImage | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Least recently used goes first: re-insert to mark as recent.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedImage): void {
    // With no room (the reference demo's behaviour, kept for comparison) nothing is kept.
    if (this.capacity === 0) return;
    const replaced = this.entries.get(key);
    if (replaced && replaced.features !== entry.features) replaced.features.dispose();
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.get(oldest)?.features.dispose();
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.features.dispose();
    this.entries.clear();
  }
}

export async function contentKey(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Adds up the time spent in each ONNX session (embed_tokens, vision_encoder, model, decoder_model_merged). */
export class SessionTimer {
  readonly totals = new Map<string, number>();

  constructor(model: Florence2ForConditionalGeneration) {
    const { sessions } = model as unknown as FlorenceInternals;
    for (const [name, session] of Object.entries(sessions)) {
      const run = session.run.bind(session);
      session.run = async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await run(...args);
        } finally {
          this.totals.set(name, (this.totals.get(name) ?? 0) + performance.now() - started);
        }
      };
    }
  }

  snapshot(): Map<string, number> {
    return new Map(this.totals);
  }
}

/** Records when each generated token arrives and passes the text so far on. */
class TokenStream extends BaseStreamer {
  readonly tokenIds: number[] = [];
  readonly arrivals: number[] = [];
  private started = false;

  constructor(private readonly onToken: (tokenIds: readonly number[]) => void) {
    super();
  }

  override put(value: bigint[][]): void {
    // The first call carries the decoder start token, not a generated one.
    if (!this.started) {
      this.started = true;
      return;
    }
    this.arrivals.push(performance.now());
    for (const id of value[0] ?? []) this.tokenIds.push(Number(id));
    this.onToken(this.tokenIds);
  }

  override end(): void {}
}

export interface GenerationRequest {
  readonly image: Blob;
  readonly prompt: string;
  readonly maxNewTokens: number;
  readonly signal: AbortSignal;
  /** Called with the text generated so far, with special tokens kept. */
  readonly onText?: (rawText: string) => void;
  /** Test hook: also report the quadrant colours of the pixels the model was given. */
  readonly summarizeInput?: boolean;
}

export interface GenerationResult {
  readonly rawText: string;
  readonly imageSize: ImageSize;
  readonly inputPixels?: PixelSummary;
  readonly generatedTokens: number;
  readonly stages: StageTimings;
}

const elapsed = (timer: SessionTimer, before: Map<string, number>, name: string) =>
  (timer.totals.get(name) ?? 0) - (before.get(name) ?? 0);

export async function generateAnswer(
  runtime: Runtime,
  features: ImageFeatureCache,
  timer: SessionTimer,
  request: GenerationRequest,
): Promise<GenerationResult> {
  const internals = runtime.model as unknown as FlorenceInternals;
  const started = performance.now();
  const key = await contentKey(request.image);
  let cached = features.get(key);
  let decodeMs = 0;
  let preprocessMs = 0;
  let visionMs = 0;
  if (!cached || (request.summarizeInput && !cached.summary)) {
    const { image, size, summary } = await decodeImage(request.image, { summarize: request.summarizeInput ?? false });
    const decoded = performance.now();
    const pixelValues = await preprocess(runtime, image);
    const preprocessed = performance.now();
    const imageFeatures = await internals.encode_image({ pixel_values: pixelValues });
    decodeMs = decoded - started;
    preprocessMs = preprocessed - decoded;
    visionMs = performance.now() - preprocessed;
    cached = { size, features: imageFeatures, ...(summary ? { summary } : {}) };
    features.set(key, cached);
  }
  if (request.signal.aborted) throw new EngineError('cancelled', 'The run was cancelled.');

  const before = timer.snapshot();
  const generationStarted = performance.now();
  const textInputs = runtime.tokenizer(request.prompt) as { input_ids: Tensor; attention_mask: Tensor };
  const promptEmbeds = await internals.encode_text({ input_ids: textInputs.input_ids });
  const merged = internals._merge_input_ids_with_image_features({
    inputs_embeds: promptEmbeds,
    image_features: cached.features,
    input_ids: textInputs.input_ids,
    attention_mask: textInputs.attention_mask,
  });
  const stopping = new InterruptableStoppingCriteria();
  const interrupt = () => stopping.interrupt();
  request.signal.addEventListener('abort', interrupt);
  const stream = new TokenStream((ids) => {
    request.onText?.(runtime.tokenizer.decode([...ids], { skip_special_tokens: false }));
  });
  let sequences: Tensor;
  try {
    sequences = (await runtime.model.generate({
      inputs_embeds: merged.inputs_embeds,
      attention_mask: merged.attention_mask,
      max_new_tokens: request.maxNewTokens,
      // transformers.js decodes greedily whatever num_beams says; say so rather than pretend.
      num_beams: 1,
      do_sample: false,
      stopping_criteria: stopping,
      streamer: stream,
    } as unknown as Parameters<Florence2ForConditionalGeneration['generate']>[0])) as Tensor;
  } finally {
    request.signal.removeEventListener('abort', interrupt);
  }
  if (request.signal.aborted) throw new EngineError('cancelled', 'The run was cancelled.');
  const finished = performance.now();
  const rawText = runtime.tokenizer.batch_decode(sequences, { skip_special_tokens: false })[0] ?? '';
  const firstToken = stream.arrivals[0] ?? finished;
  const lastToken = stream.arrivals.at(-1) ?? finished;
  const tokens = stream.arrivals.length;
  return {
    rawText,
    imageSize: cached.size,
    ...(request.summarizeInput && cached.summary ? { inputPixels: cached.summary } : {}),
    generatedTokens: tokens,
    stages: {
      visionCached: decodeMs === 0 && visionMs === 0,
      decodeImageMs: decodeMs,
      preprocessMs,
      visionEncoderMs: visionMs,
      textEncoderMs: elapsed(timer, before, 'model'),
      firstTokenMs: firstToken - generationStarted,
      perTokenMs: tokens > 1 ? (lastToken - firstToken) / (tokens - 1) : 0,
      generateMs: finished - generationStarted,
      totalMs: finished - started,
    },
  };
}

async function preprocess(runtime: Runtime, image: RawImage): Promise<Tensor> {
  const imageProcessor = runtime.processor.image_processor;
  if (!imageProcessor) {
    throw new EngineError('model-load-failed', 'The model folder has no image processor configuration.');
  }
  const { pixel_values } = (await imageProcessor(image)) as { pixel_values: Tensor };
  return pixel_values;
}
