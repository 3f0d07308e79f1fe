/**
 * What a weight choice means on this device, in a sentence or two: which parts are quantized, that
 * this can change answers, and why the choice differs from the usual one.
 */
import {
  type DeviceCapabilities,
  type DevicePlan,
  type Dtype,
  type DtypePreset,
  hasLittleMemory,
  type SubModel,
} from './policy';

const PART_NAMES: Readonly<Record<SubModel, string>> = {
  embed_tokens: 'embeddings',
  vision_encoder: 'image encoder',
  encoder_model: 'text encoder',
  decoder_model_merged: 'decoder',
};

const DTYPE_NAMES: Readonly<Record<Dtype, string>> = {
  fp32: 'full precision',
  fp16: 'half precision',
  q8: '8-bit',
  q4: '4-bit',
  q4f16: '4-bit',
};

// The embeddings are a table lookup (a quantized row is the same word, slightly blurred), and half
// precision keeps 11 significant bits: neither is known to change Florence-2's answers.
const QUANTIZATION_THAT_MATTERS: readonly Dtype[] = ['q8', 'q4', 'q4f16'];

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export interface PresetNote {
  /** Which precision each part runs in: "8-bit text encoder and decoder, full precision image encoder". */
  readonly summary: string;
  /** Said when a quantized encoder or decoder could change answers; null at full or half precision. */
  readonly qualityWarning: string | null;
  /** Why this device gets something other than the usual choice, or what it costs here; null if nothing. */
  readonly deviceNote: string | null;
}

export function presetNote(plan: DevicePlan, preset: DtypePreset, capabilities: DeviceCapabilities): PresetNote {
  const groups = new Map<string, string[]>();
  for (const subModel of ['vision_encoder', 'encoder_model', 'decoder_model_merged', 'embed_tokens'] as const) {
    const name = DTYPE_NAMES[plan.dtypes[subModel]];
    groups.set(name, [...(groups.get(name) ?? []), PART_NAMES[subModel]]);
  }
  const summary = [...groups].map(([dtype, parts]) => `${dtype} ${joinNames(parts)}`).join('; ');
  const quantized = (['vision_encoder', 'encoder_model', 'decoder_model_merged'] as const).filter((subModel) =>
    QUANTIZATION_THAT_MATTERS.includes(plan.dtypes[subModel]),
  );
  const qualityWarning = quantized.length
    ? `A quantized ${joinNames(quantized.map((subModel) => PART_NAMES[subModel]))} can change some answers; “Highest quality” uses full precision everywhere.`
    : null;
  let deviceNote: string | null = null;
  const fourBitOnCpu =
    plan.device === 'wasm' && ['q4', 'q4f16'].includes(plan.dtypes.decoder_model_merged) && preset !== 'auto';
  if (fourBitOnCpu) {
    deviceNote = 'Without WebGPU a 4-bit decoder writes about 5x slower than the recommended 8-bit one.';
  } else if (
    preset === 'auto' &&
    hasLittleMemory(capabilities) &&
    QUANTIZATION_THAT_MATTERS.includes(plan.dtypes.vision_encoder)
  ) {
    deviceNote = `This device reports ${capabilities.deviceMemoryGb} GB of memory, so the image encoder is quantized too, to fit.`;
  }
  return { summary, qualityWarning, deviceNote };
}
