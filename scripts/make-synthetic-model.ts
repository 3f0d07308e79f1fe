/**
 * Writes a full-size synthetic Florence-2-base for benchmarks: the real dimensions, random weights
 * (deterministic for a seed), a DaViT-sized vision encoder, and a decoder scripted to write a known
 * number of tokens per task. About 1.1 GB in fp32 plus the q4/q8 variants; never committed.
 *
 *   tsx scripts/make-synthetic-model.ts [output-folder] [--seed N]
 */
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPrompt, type TaskToken } from '../src/core/florence/tasks';
import { buildTokenizer, writeConfigFiles } from './make-test-model';
import { encodeModel } from './onnx/graph';
import {
  D_MODEL,
  decoderGraph,
  embedTokensGraph,
  encoderGraph,
  HEADS,
  IMAGE_TOKENS,
  LAYERS,
  type LengthScript,
  visionEncoderGraph,
} from './synthetic-model/graphs';

/** Answer lengths in tokens, like the real model's typical answers. */
export const SCRIPTED_LENGTHS: Partial<Record<TaskToken, number>> = {
  '<CAPTION>': 16,
  '<DETAILED_CAPTION>': 48,
  '<MORE_DETAILED_CAPTION>': 96,
  '<OCR>': 32,
  '<OD>': 60,
  '<DENSE_REGION_CAPTION>': 90,
};
const DEFAULT_LENGTH = 24;
const PRODUCER = 'florence2-web synthetic benchmark model';

export async function makeSyntheticModel(outputDir: string, seed = 1): Promise<void> {
  const { json: tokenizerJson, tokenizer } = buildTokenizer([]);
  const encoderLengths: number[] = [];
  const answerLengths: number[] = [];
  for (const [task, length] of Object.entries(SCRIPTED_LENGTHS) as [TaskToken, number][]) {
    const encoderLength = IMAGE_TOKENS + tokenizer.encode(buildPrompt(task)).ids.length;
    // Prompts of equal length share a script row; the first one listed decides its length.
    if (encoderLengths.includes(encoderLength)) continue;
    encoderLengths.push(encoderLength);
    answerLengths.push(length);
  }
  const script: LengthScript = { encoderLengths, answerLengths, defaultLength: DEFAULT_LENGTH };
  await writeConfigFiles(
    outputDir,
    { hiddenSize: D_MODEL, layers: LAYERS, heads: HEADS, imageTokens: IMAGE_TOKENS },
    tokenizerJson,
  );
  const files: [string, () => Uint8Array][] = [
    ['embed_tokens.onnx', () => encodeModel(embedTokensGraph(seed, 'fp32'), PRODUCER)],
    ['embed_tokens_quantized.onnx', () => encodeModel(embedTokensGraph(seed, 'q8'), PRODUCER)],
    ['vision_encoder.onnx', () => encodeModel(visionEncoderGraph(seed + 1, 'fp32'), PRODUCER)],
    ['vision_encoder_q4.onnx', () => encodeModel(visionEncoderGraph(seed + 1, 'q4'), PRODUCER)],
    ['encoder_model.onnx', () => encodeModel(encoderGraph(seed + 2, 'fp32'), PRODUCER)],
    ['encoder_model_q4.onnx', () => encodeModel(encoderGraph(seed + 2, 'q4'), PRODUCER)],
    ['decoder_model_merged.onnx', () => encodeModel(decoderGraph(seed + 3, 'fp32', script), PRODUCER)],
    ['decoder_model_merged_q4.onnx', () => encodeModel(decoderGraph(seed + 3, 'q4', script), PRODUCER)],
  ];
  // One at a time: each file is hundreds of megabytes while it is encoded.
  for (const [name, build] of files) {
    const path = join(outputDir, 'onnx', name);
    await writeFile(path, build());
    console.log(`${name}  ${((await stat(path)).size / 1e6).toFixed(1)} MB`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seed: { type: 'string', default: '1' } },
  });
  const outputDir = resolve(positionals[0] ?? 'bench-models/florence2-base-synthetic');
  await makeSyntheticModel(outputDir, Number(values.seed));
  console.log(`Synthetic Florence-2-base written to ${outputDir}`);
}
