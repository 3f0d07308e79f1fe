/**
 * The Florence-2 models the app offers, the files each needs, and their download sizes.
 */
import { type Dtype, type DtypePlan, modelFileName, SUB_MODELS, type SubModel } from './device/policy';

/** The files every model folder has besides its ONNX weights. */
export const CONFIG_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
] as const;

/** Everything the app downloads for a model with a given dtype plan, relative to the model folder. */
export function modelFilesFor(plan: DtypePlan): string[] {
  return [...CONFIG_FILES, ...SUB_MODELS.map((subModel) => modelFileName(subModel, plan[subModel]))];
}

type SizeTable = Readonly<Record<SubModel, Partial<Readonly<Record<Dtype, number>>>>>;

const MB = 1_000_000;

// onnx-community exports of Florence-2-base(-ft), in bytes (decimal MB as published).
const BASE_SIZES: SizeTable = {
  embed_tokens: { fp32: 158 * MB, fp16: 78.8 * MB, q8: 39.4 * MB, q4: 158 * MB, q4f16: 78.8 * MB },
  vision_encoder: { fp32: 367 * MB, fp16: 184 * MB, q8: 93.7 * MB, q4: 81.2 * MB },
  encoder_model: { fp32: 173 * MB, fp16: 86.7 * MB, q8: 43.7 * MB, q4: 30.1 * MB, q4f16: 25.7 * MB },
  decoder_model_merged: { fp32: 388 * MB, fp16: 195 * MB, q8: 98.2 * MB, q4: 64.4 * MB, q4f16: 56.5 * MB },
};
// The tokenizer and configuration files together.
const CONFIG_BYTES = 3.5 * MB;

export interface CatalogModel {
  readonly id: string;
  readonly label: string;
  readonly sizes: SizeTable | null;
}

export const MODEL_CATALOG: readonly CatalogModel[] = [
  { id: 'onnx-community/Florence-2-base-ft', label: 'Florence-2 base, fine-tuned (0.23 B)', sizes: BASE_SIZES },
  { id: 'onnx-community/Florence-2-base', label: 'Florence-2 base (0.23 B)', sizes: BASE_SIZES },
  { id: 'onnx-community/Florence-2-large-ft', label: 'Florence-2 large, fine-tuned (0.77 B)', sizes: null },
  { id: 'onnx-community/Florence-2-large', label: 'Florence-2 large (0.77 B)', sizes: null },
];

/** The published download size of a catalogue model with a dtype plan, or null when not known. */
export function knownDownloadBytes(modelId: string, plan: DtypePlan): number | null {
  const sizes = MODEL_CATALOG.find((model) => model.id === modelId)?.sizes;
  if (!sizes) return null;
  let total = CONFIG_BYTES;
  for (const subModel of SUB_MODELS) {
    const size = sizes[subModel][plan[subModel]];
    if (size === undefined) return null;
    total += size;
  }
  return total;
}
