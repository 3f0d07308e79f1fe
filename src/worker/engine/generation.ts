/**
 * One Florence-2 answer from an image's features: the prompt tokenised and embedded, merged after
 * the image tokens, and generated with streamed tokens, with the time of each stage. It imports
 * nothing of the browser, so the benchmark's native yardstick (onnxruntime-node) runs this very
 * function and the two measure the same quantities.
 */
import {
  BaseStreamer,
  type Florence2ForConditionalGeneration,
  InterruptableStoppingCriteria,
  type Tensor,
} from '@huggingface/transformers';
import { EngineError } from './engine';
import type { FlorenceInternals, Runtime } from './runtime';

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

  total(name: string): number {
    return this.totals.get(name) ?? 0;
  }
}

/** Records when each generated token arrives and passes the ids so far on. */
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
  /** The vision encoder's output for the image. */
  readonly imageFeatures: Tensor;
  readonly prompt: string;
  readonly maxNewTokens: number;
  readonly signal: AbortSignal;
  /** Called with the text generated so far, with special tokens kept. */
  readonly onText?: (rawText: string) => void;
}

export interface GenerationResult {
  readonly rawText: string;
  readonly generatedTokens: number;
  readonly textEncoderMs: number;
  /** From the start (the prompt tokenised and embedded) to the first generated token. */
  readonly firstTokenMs: number;
  readonly perTokenMs: number;
  readonly generateMs: number;
}

const cancelled = () => new EngineError('cancelled', 'The run was cancelled.');

export async function generateFromFeatures(
  runtime: Runtime,
  timer: SessionTimer,
  request: GenerationRequest,
): Promise<GenerationResult> {
  const internals = runtime.model as unknown as FlorenceInternals;
  if (request.signal.aborted) throw cancelled();
  const textEncoderBefore = timer.total('model');
  const started = performance.now();
  const textInputs = runtime.tokenizer(request.prompt) as { input_ids: Tensor; attention_mask: Tensor };
  const promptEmbeds = await internals.encode_text({ input_ids: textInputs.input_ids });
  const merged = internals._merge_input_ids_with_image_features({
    inputs_embeds: promptEmbeds,
    image_features: request.imageFeatures,
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
  if (request.signal.aborted) throw cancelled();
  const finished = performance.now();
  const rawText = runtime.tokenizer.batch_decode(sequences, { skip_special_tokens: false })[0] ?? '';
  const firstToken = stream.arrivals[0] ?? finished;
  const lastToken = stream.arrivals.at(-1) ?? finished;
  const tokens = stream.arrivals.length;
  return {
    rawText,
    generatedTokens: tokens,
    textEncoderMs: timer.total('model') - textEncoderBefore,
    firstTokenMs: firstToken - started,
    perTokenMs: tokens > 1 ? (lastToken - firstToken) / (tokens - 1) : 0,
    generateMs: finished - started,
  };
}
