/**
 * One Florence-2 answer from an image's features: the prompt tokenised and embedded, merged after
 * the image tokens, and generated with streamed tokens, with the time of each stage. It imports
 * nothing of the browser, so the benchmark's native yardstick (onnxruntime-node) runs this very
 * function and the two measure the same quantities.
 */
import { type Florence2ForConditionalGeneration, Tensor } from '@huggingface/transformers';
import type { Device } from '../../shared/device/policy';
import type { TokenProbability } from '../../shared/florence/confidence';
import { type AnswerQuality, type ModelGenerationConfig, searchConfigFor } from '../../shared/generation/config';
import { type GeneratedSequence, SearchCancelled, searchTokens } from '../../shared/generation/search';
import { createDecoderLoop, ortOf } from './decoder-loop';
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

export interface GenerationRequest {
  /** The vision encoder's output for the image. */
  readonly imageFeatures: Tensor;
  readonly prompt: string;
  readonly maxNewTokens: number;
  readonly quality: AnswerQuality;
  /** Where the sessions run: on WebGPU the beams' first step runs batched, keeping caches on the GPU. */
  readonly device: Device;
  readonly signal: AbortSignal;
  /** Called with the text generated so far, with special tokens kept. */
  readonly onText?: (rawText: string) => void;
}

export interface GenerationResult {
  readonly rawText: string;
  /** Each generated token's place in rawText and probability. */
  readonly tokens: readonly TokenProbability[];
  readonly generatedTokens: number;
  readonly textEncoderMs: number;
  /** From the start (the prompt tokenised and embedded) to the first generated token. */
  readonly firstTokenMs: number;
  readonly perTokenMs: number;
  readonly generateMs: number;
}

const cancelled = () => new EngineError('cancelled', 'The run was cancelled.');

type Tokenizer = Runtime['tokenizer'];

const decodeKeepingMarkup = (tokenizer: Tokenizer, ids: readonly number[]) =>
  tokenizer.decode([...ids], { skip_special_tokens: false });

/**
 * Where each generated token's text sits in the decoded answer: the growth of the decoded prefix
 * (a token's text alone can differ from its share of the whole, e.g. half of a multi-byte letter).
 */
export function tokenPlaces(
  tokenizer: Tokenizer,
  startToken: number,
  sequence: GeneratedSequence,
): { rawText: string; tokens: TokenProbability[] } {
  const ids = [startToken];
  let end = decodeKeepingMarkup(tokenizer, ids).length;
  const tokens: TokenProbability[] = [];
  for (const [index, id] of sequence.tokens.entries()) {
    ids.push(id);
    const start = end;
    end = Math.max(end, decodeKeepingMarkup(tokenizer, ids).length);
    tokens.push({
      start,
      end,
      probability: sequence.probabilities[index] ?? 0,
      forced: sequence.forced[index] ?? false,
    });
  }
  return { rawText: decodeKeepingMarkup(tokenizer, ids), tokens };
}

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
  const encoded = (await internals.sessions.model?.run({
    inputs_embeds: ortOf(merged.inputs_embeds),
    attention_mask: ortOf(merged.attention_mask),
  })) as { last_hidden_state?: unknown } | undefined;
  if (!encoded?.last_hidden_state) throw new Error('The text encoder returned no hidden state.');
  // transformers.js wraps an onnxruntime tensor as is.
  const encoderOutput = new (Tensor as unknown as new (ort: unknown) => Tensor)(encoded.last_hidden_state);
  const textEncoderMs = timer.total('model') - textEncoderBefore;

  const config = searchConfigFor(
    (runtime.model as unknown as { generation_config: ModelGenerationConfig | null }).generation_config ?? {},
    request.quality,
    request.maxNewTokens,
  );
  const decoder = createDecoderLoop(internals, encoderOutput, merged.attention_mask, {
    batchFirstStep: request.device === 'webgpu',
  });
  const arrivals: number[] = [];
  let sequence: GeneratedSequence;
  try {
    sequence = await searchTokens(config, decoder.step, {
      signal: request.signal,
      onStep: (best) => {
        arrivals.push(performance.now());
        request.onText?.(decodeKeepingMarkup(runtime.tokenizer, [config.decoderStartTokenId, ...best.tokens]));
      },
    });
  } catch (error) {
    if (error instanceof SearchCancelled) throw cancelled();
    throw error;
  } finally {
    decoder.dispose();
  }
  const finished = performance.now();
  const { rawText, tokens } = tokenPlaces(runtime.tokenizer, config.decoderStartTokenId, sequence);
  const firstToken = arrivals[0] ?? finished;
  const lastToken = arrivals.at(-1) ?? finished;
  const steps = arrivals.length;
  return {
    rawText,
    tokens,
    generatedTokens: sequence.tokens.length,
    textEncoderMs,
    firstTokenMs: firstToken - started,
    perTokenMs: steps > 1 ? (lastToken - firstToken) / (steps - 1) : 0,
    generateMs: finished - started,
  };
}
