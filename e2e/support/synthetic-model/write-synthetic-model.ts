/**
 * Writes a full-size synthetic Florence-2-base for benchmarks: the real dimensions, random weights
 * (deterministic for a seed), a DaViT-sized vision encoder, and a decoder scripted to write a known
 * number of tokens per task. Every file the real repository publishes (fp32, fp16, `_quantized`,
 * q4, q4f16) at about its real size: 2.3 GB in all; never committed.
 *
 * The command line is scripts/make-synthetic-model.ts.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Dtype, modelFileName, SUB_MODELS, type SubModel } from '../../../src/shared/device/policy';
import { buildPrompt, type TaskToken } from '../../../src/shared/florence/tasks';
import { PUBLISHED_DTYPES } from '../../../src/shared/model-catalog';
import { encodeModel, type Graph } from '../onnx/graph';
import { buildTokenizer, writeConfigFiles } from '../test-model/write-test-model';
import type { LinearWeights } from './builder';
import { toFloat16Graph } from './float16';
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
} from './graphs';

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
  const embed = (dtype: Dtype) => {
    if (dtype === 'q8') return embedTokensGraph(seed, 'q8');
    // The 4-bit quantizer leaves the embedding table (a Gather) alone: q4 is fp32, q4f16 is fp16.
    const graph = embedTokensGraph(seed, 'fp32');
    return dtype === 'fp16' || dtype === 'q4f16' ? toFloat16Graph(graph) : graph;
  };
  const linearGraph =
    (build: (seed: number, weights: LinearWeights) => Graph, graphSeed: number) =>
    (dtype: Dtype): Graph => {
      const weights: LinearWeights = dtype === 'q8' ? 'q8' : dtype === 'q4' || dtype === 'q4f16' ? 'q4' : 'fp32';
      const graph = build(graphSeed, weights);
      return dtype === 'fp16' || dtype === 'q4f16' ? toFloat16Graph(graph) : graph;
    };
  const graphs: Record<SubModel, (dtype: Dtype) => Graph> = {
    embed_tokens: embed,
    vision_encoder: linearGraph(visionEncoderGraph, seed + 1),
    encoder_model: linearGraph(encoderGraph, seed + 2),
    decoder_model_merged: linearGraph((graphSeed, weights) => decoderGraph(graphSeed, weights, script), seed + 3),
  };
  const files = SUB_MODELS.flatMap((subModel) =>
    PUBLISHED_DTYPES[subModel].map((dtype) => [modelFileName(subModel, dtype), () => graphs[subModel](dtype)] as const),
  );
  // One at a time: each file is hundreds of megabytes while it is encoded.
  for (const [name, build] of files) {
    const path = join(outputDir, name);
    await writeFile(path, encodeModel(build(), PRODUCER));
    console.log(`${name}  ${((await stat(path)).size / 1e6).toFixed(1)} MB`);
  }
}
