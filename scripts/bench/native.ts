/**
 * The native yardstick: the same model files and inputs through onnxruntime-node (via transformers.js
 * in Node), per stage, with a given number of threads. Generation is the app's own function
 * (generateFromFeatures), so each stage measures the same work in both.
 */
import {
  AutoProcessor,
  AutoTokenizer,
  env,
  Florence2ForConditionalGeneration,
  type PreTrainedTokenizer,
  type Processor,
  Tensor,
} from '@huggingface/transformers';
import type { DtypePlan } from '../../src/shared/device/policy';
import { type DecoderSession, fetchOnlyChangingOutputs } from '../../src/worker/engine/decoder-outputs';
import { generateFromFeatures, SessionTimer } from '../../src/worker/engine/generation';
import type { FlorenceInternals } from '../../src/worker/engine/runtime';
import { median } from './stats';

export interface NativeStages {
  readonly threads: number;
  readonly visionEncoderMs: number;
  readonly textEncoderMs: number;
  readonly firstTokenMs: number;
  readonly perTokenMs: number;
}

export async function measureNative(
  modelFolder: string,
  dtypes: DtypePlan,
  threads: number,
  prompts: readonly { prompt: string; maxNewTokens: number }[],
  repeats: number,
): Promise<NativeStages> {
  const parent = modelFolder.replace(/\/[^/]+\/?$/, '/');
  const name = modelFolder.replace(/\/$/, '').split('/').pop() ?? '';
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = parent;
  const model = (await Florence2ForConditionalGeneration.from_pretrained(name, {
    dtype: { ...dtypes, model: dtypes.encoder_model },
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  })) as Florence2ForConditionalGeneration;
  const tokenizer = (await AutoTokenizer.from_pretrained(name)) as PreTrainedTokenizer;
  const processor = (await AutoProcessor.from_pretrained(name)) as Processor;
  const runtime = { model, processor, tokenizer };
  // The app's decoder wrapper too, so the ratio compares runtimes, not loops.
  const internals = model as unknown as FlorenceInternals;
  const decoder = internals.sessions.decoder_model_merged;
  if (decoder) fetchOnlyChangingOutputs(decoder as unknown as DecoderSession);
  const timer = new SessionTimer(model);
  const vision: number[] = [];
  const text: number[] = [];
  const first: number[] = [];
  const perToken: number[] = [];
  const pixelValues = new Tensor('float32', new Float32Array(3 * 768 * 768).fill(0.1), [1, 3, 768, 768]);
  for (let repeat = 0; repeat < repeats; repeat++) {
    const visionStarted = performance.now();
    const imageFeatures = await internals.encode_image({ pixel_values: pixelValues });
    vision.push(performance.now() - visionStarted);
    for (const { prompt, maxNewTokens } of prompts) {
      const answer = await generateFromFeatures(runtime, timer, {
        imageFeatures,
        prompt,
        maxNewTokens,
        // Greedy, as the app's "fast" and every earlier run of this yardstick.
        quality: 'fast',
        device: 'wasm',
        signal: new AbortController().signal,
        // The app decodes the text so far at every token to stream it; so does the yardstick.
        onText: () => {},
      });
      text.push(answer.textEncoderMs);
      first.push(answer.firstTokenMs);
      if (answer.generatedTokens > 1) perToken.push(answer.perTokenMs);
    }
    imageFeatures.dispose();
  }
  await model.dispose();
  return {
    threads,
    visionEncoderMs: median(vision),
    textEncoderMs: median(text),
    firstTokenMs: median(first),
    perTokenMs: median(perToken),
  };
}
