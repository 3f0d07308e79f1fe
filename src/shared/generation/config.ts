/**
 * How an answer is decoded: the person's choice of quality, and the model's generation config
 * (generation_config.json) turned into the search's rules.
 */
import type { SearchConfig } from './search';

/** "best" decodes as the reference does (3 beams); "fast" greedily, one candidate a step. */
export const ANSWER_QUALITIES = ['best', 'fast'] as const;
export type AnswerQuality = (typeof ANSWER_QUALITIES)[number];

export function isAnswerQuality(value: unknown): value is AnswerQuality {
  return typeof value === 'string' && (ANSWER_QUALITIES as readonly string[]).includes(value);
}

/** The keys of generation_config.json that decoding reads, as the file spells them. */
export interface ModelGenerationConfig {
  readonly decoder_start_token_id?: number;
  readonly eos_token_id?: number | readonly number[];
  readonly forced_bos_token_id?: number | null;
  readonly forced_eos_token_id?: number | readonly number[] | null;
  readonly no_repeat_ngram_size?: number;
  readonly num_beams?: number;
  readonly early_stopping?: boolean | 'never';
  readonly length_penalty?: number;
}

/** Florence-2's published checkpoints decode with 3 beams and stop early (its text config says so). */
const REFERENCE_BEAMS = 3;
const REFERENCE_EARLY_STOPPING = true;
// BART's ids, which every Florence-2 checkpoint keeps.
const DEFAULT_END_TOKEN = 2;

const firstOf = (value: number | readonly number[] | null | undefined): number | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value : (value[0] ?? null);

export function searchConfigFor(
  model: ModelGenerationConfig,
  quality: AnswerQuality,
  maxNewTokens: number,
): SearchConfig {
  const eosTokenId = firstOf(model.eos_token_id) ?? DEFAULT_END_TOKEN;
  const beams = model.num_beams !== undefined && model.num_beams > 1 ? model.num_beams : REFERENCE_BEAMS;
  return {
    numBeams: quality === 'best' ? beams : 1,
    maxNewTokens,
    noRepeatNgramSize: model.no_repeat_ngram_size ?? 0,
    // 'never' (keep searching until no beam can improve) is treated as the heuristic stop.
    earlyStopping: model.early_stopping === undefined ? REFERENCE_EARLY_STOPPING : model.early_stopping === true,
    lengthPenalty: model.length_penalty ?? 1,
    decoderStartTokenId: model.decoder_start_token_id ?? eosTokenId,
    eosTokenId,
    forcedBosTokenId: model.forced_bos_token_id ?? null,
    forcedEosTokenId: firstOf(model.forced_eos_token_id),
  };
}
