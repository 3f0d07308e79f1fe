/**
 * The native yardstick: the same model files and inputs through onnxruntime-node (via transformers.js
 * in Node), per stage, with a given number of threads.
 */
import { AutoTokenizer, BaseStreamer, env, Florence2ForConditionalGeneration, Tensor } from '@huggingface/transformers';
import type { DtypePlan } from '../../src/shared/device/policy';
import { type DecoderSession, fetchOnlyChangingOutputs } from '../../src/worker/engine/decoder-outputs';
import { SessionTimer } from '../../src/worker/engine/generation';
import { median } from './stats';

export interface NativeStages {
  readonly threads: number;
  readonly visionEncoderMs: number;
  readonly textEncoderMs: number;
  readonly firstTokenMs: number;
  readonly perTokenMs: number;
}

interface Internals {
  encode_image(inputs: { pixel_values: Tensor }): Promise<Tensor>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  _merge_input_ids_with_image_features(inputs: Record<string, Tensor>): {
    inputs_embeds: Tensor;
    attention_mask: Tensor;
  };
  sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }>;
}

class Arrivals extends BaseStreamer {
  readonly times: number[] = [];
  private first = true;
  override put(): void {
    if (this.first) this.first = false;
    else this.times.push(performance.now());
  }
  override end(): void {}
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
  })) as unknown as Florence2ForConditionalGeneration & Internals;
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  // The same generation as the app's, so the ratio compares runtimes, not loops.
  const decoder = model.sessions.decoder_model_merged;
  if (decoder) fetchOnlyChangingOutputs(decoder as unknown as DecoderSession);
  const timer = new SessionTimer(model);
  const vision: number[] = [];
  const text: number[] = [];
  const first: number[] = [];
  const perToken: number[] = [];
  const pixelValues = new Tensor('float32', new Float32Array(3 * 768 * 768).fill(0.1), [1, 3, 768, 768]);
  for (let repeat = 0; repeat < repeats; repeat++) {
    const visionStarted = performance.now();
    const features = await model.encode_image({ pixel_values: pixelValues });
    vision.push(performance.now() - visionStarted);
    for (const { prompt, maxNewTokens } of prompts) {
      const inputs = tokenizer(prompt) as { input_ids: Tensor; attention_mask: Tensor };
      const embeds = await model.encode_text({ input_ids: inputs.input_ids });
      const merged = model._merge_input_ids_with_image_features({
        inputs_embeds: embeds,
        image_features: features,
        input_ids: inputs.input_ids,
        attention_mask: inputs.attention_mask,
      });
      const stream = new Arrivals();
      const encoderBefore = timer.totals.get('model') ?? 0;
      const started = performance.now();
      await model.generate({
        inputs_embeds: merged.inputs_embeds,
        attention_mask: merged.attention_mask,
        max_new_tokens: maxNewTokens,
        num_beams: 1,
        do_sample: false,
        streamer: stream,
      } as unknown as Parameters<Florence2ForConditionalGeneration['generate']>[0]);
      text.push((timer.totals.get('model') ?? 0) - encoderBefore);
      const [firstArrival = started] = stream.times;
      first.push(firstArrival - started);
      if (stream.times.length > 1) {
        perToken.push(((stream.times.at(-1) ?? firstArrival) - firstArrival) / (stream.times.length - 1));
      }
    }
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
