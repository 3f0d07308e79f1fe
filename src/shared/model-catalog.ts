/**
 * The Florence-2 models the app offers, the files each needs, and their download sizes.
 */
import {
  type Dtype,
  type DtypePlan,
  type DtypePreset,
  dtypesFor,
  modelFileName,
  SUB_MODELS,
  type SubModel,
  TYPICAL_WASM_DEVICE,
} from './device/policy';
import { formatBytes } from './download-progress';
import type { ModelSource } from './model-source';

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
/** The weight files the onnx-community exports publish for each sub-model. */
export const PUBLISHED_DTYPES: Readonly<Record<SubModel, readonly Dtype[]>> = {
  embed_tokens: Object.keys(BASE_SIZES.embed_tokens) as Dtype[],
  vision_encoder: Object.keys(BASE_SIZES.vision_encoder) as Dtype[],
  encoder_model: Object.keys(BASE_SIZES.encoder_model) as Dtype[],
  decoder_model_merged: Object.keys(BASE_SIZES.decoder_model_merged) as Dtype[],
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

/** A model and a weight preset, as chosen in the model panel; `modelId` null for a folder URL. */
export interface ModelChoice {
  readonly modelId: string | null;
  readonly dtypePreset: DtypePreset;
}

export interface SmallerChoice extends ModelChoice {
  /** For a person: "Florence-2 base (0.23 B), smallest download (about 219 MB)". */
  readonly description: string;
}

const PRESET_DESCRIPTIONS: Readonly<Record<DtypePreset, string>> = {
  quality: 'full precision',
  auto: 'recommended weights',
  smallest: 'smallest download',
};

/** The model and weights a load request asks for; `modelId` null for a folder URL. */
export function choiceOf(request: { readonly source: ModelSource; readonly dtypePreset: DtypePreset }): ModelChoice {
  return { modelId: request.source.kind === 'hub' ? request.source.modelId : null, dtypePreset: request.dtypePreset };
}

/** The next smaller choice when a model does not fit in memory: lighter weights, then a smaller model. */
export function nextSmallerChoice(current: ModelChoice): ModelChoice | null {
  if (current.dtypePreset === 'quality') return { ...current, dtypePreset: 'auto' };
  if (current.dtypePreset === 'auto') return { ...current, dtypePreset: 'smallest' };
  if (current.modelId && /Florence-2-large/.test(current.modelId)) {
    const base = current.modelId.replace('Florence-2-large', 'Florence-2-base');
    if (MODEL_CATALOG.some((model) => model.id === base)) return { modelId: base, dtypePreset: 'smallest' };
  }
  return null;
}

/**
 * A smaller choice in words, with its size where known. `dtypesOf` gives the weights a preset means
 * on this device (the model panel's sizes use the same).
 */
export function describeSmallerChoice(
  current: ModelChoice,
  next: ModelChoice,
  dtypesOf: (preset: DtypePreset) => DtypePlan = (preset) => dtypesFor('wasm', preset, TYPICAL_WASM_DEVICE),
): SmallerChoice {
  const model = MODEL_CATALOG.find((entry) => entry.id === next.modelId);
  const bytes = next.modelId ? knownDownloadBytes(next.modelId, dtypesOf(next.dtypePreset)) : null;
  const size = bytes === null ? '' : ` (about ${formatBytes(bytes)})`;
  const name = next.modelId === current.modelId ? 'the same model' : (model?.label ?? next.modelId ?? 'this model');
  return { ...next, description: `${name} with the ${PRESET_DESCRIPTIONS[next.dtypePreset]}${size}` };
}

/** The next smaller choice, described; null when this is already the smallest. */
export function smallerChoice(
  current: ModelChoice,
  dtypesOf?: (preset: DtypePreset) => DtypePlan,
): SmallerChoice | null {
  const next = nextSmallerChoice(current);
  return next && describeSmallerChoice(current, next, dtypesOf);
}
