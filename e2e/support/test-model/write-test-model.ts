/**
 * Writes the scripted tiny Florence-2 model used by the tests (see graphs.ts beside this file).
 * Deterministic byte for byte. The command line is scripts/make-test-model.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { buildPrompt, processorTaskTables, TASKS } from '../../../src/shared/florence/tasks';
import { encodeModel } from '../onnx/graph';
import { PROBABILITY_SCRIPTS, type ProbabilityScript, SCRIPTED_ANSWERS, UNSCRIPTED_ANSWER } from './answers';
import {
  decoderGraph,
  END_TOKEN_MARGIN,
  embedTokensGraph,
  encoderGraph,
  HEADS,
  HIDDEN_SIZE,
  IMAGE_TOKENS,
  MAX_RULE_STEPS,
  RULE_REST_FLOOR,
  RULE_SLOTS,
  ruleKey,
  type ScriptRules,
  type ScriptTable,
  visionEncoderGraph,
} from './graphs';
import { buildTokenizerJson, SPECIAL_TOKENS, TOKENIZER_CONFIG, VOCAB_SIZE } from './tokenizer';

export const DEFAULT_TEST_MODEL_DIR = 'e2e/.generated/models/florence2-tiny';

const NO_REPEAT_NGRAM_SIZE = 3;

export interface ModelDimensions {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly imageTokens: number;
}

const TINY_DIMENSIONS: ModelDimensions = {
  hiddenSize: HIDDEN_SIZE,
  layers: 1,
  heads: HEADS,
  imageTokens: IMAGE_TOKENS,
};

function florenceConfig(dims: ModelDimensions) {
  return {
    architectures: ['Florence2ForConditionalGeneration'],
    model_type: 'florence2',
    is_encoder_decoder: true,
    bos_token_id: SPECIAL_TOKENS.bos,
    eos_token_id: SPECIAL_TOKENS.eos,
    pad_token_id: SPECIAL_TOKENS.pad,
    decoder_start_token_id: SPECIAL_TOKENS.eos,
    vocab_size: VOCAB_SIZE,
    projection_dim: dims.hiddenSize,
    text_config: {
      model_type: 'florence2_language',
      vocab_size: VOCAB_SIZE,
      d_model: dims.hiddenSize,
      encoder_layers: dims.layers,
      decoder_layers: dims.layers,
      encoder_attention_heads: dims.heads,
      decoder_attention_heads: dims.heads,
      encoder_ffn_dim: dims.hiddenSize * 4,
      decoder_ffn_dim: dims.hiddenSize * 4,
      max_position_embeddings: 1024,
      is_encoder_decoder: true,
      bos_token_id: SPECIAL_TOKENS.bos,
      eos_token_id: SPECIAL_TOKENS.eos,
      pad_token_id: SPECIAL_TOKENS.pad,
      decoder_start_token_id: SPECIAL_TOKENS.eos,
    },
    vision_config: { model_type: 'davit', projection_dim: dims.hiddenSize, image_tokens: dims.imageTokens },
  };
}

const GENERATION_CONFIG = {
  bos_token_id: SPECIAL_TOKENS.bos,
  decoder_start_token_id: SPECIAL_TOKENS.eos,
  eos_token_id: SPECIAL_TOKENS.eos,
  forced_bos_token_id: SPECIAL_TOKENS.bos,
  forced_eos_token_id: SPECIAL_TOKENS.eos,
  no_repeat_ngram_size: NO_REPEAT_NGRAM_SIZE,
  num_beams: 3,
  pad_token_id: SPECIAL_TOKENS.pad,
};

const PREPROCESSOR_CONFIG = {
  processor_class: 'Florence2Processor',
  image_processor_type: 'CLIPImageProcessor',
  do_resize: true,
  size: { height: 768, width: 768 },
  resample: 3,
  do_center_crop: false,
  crop_size: { height: 768, width: 768 },
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
  do_convert_rgb: true,
  image_seq_length: IMAGE_TOKENS,
  ...processorTaskTables(),
};

function promptFor(task: { readonly task: ProbabilityScript['task']; readonly input?: string }): string {
  return buildPrompt(task.task, task.input ?? '');
}

/** The token ids the decoder emits for an answer: forced `<s>`, the answer, `</s>`. */
function answerTokens(tokenizer: Tokenizer, answer: string): number[] {
  return [SPECIAL_TOKENS.bos, ...tokenizer.encode(answer, { add_special_tokens: false }).ids, SPECIAL_TOKENS.eos];
}

// Greedy decoding with no_repeat_ngram_size would silently replace a repeated 3-gram, so refuse one.
function assertNoRepeatedNgram(tokens: readonly number[], label: string): void {
  const sequence = [SPECIAL_TOKENS.eos, ...tokens];
  const seen = new Set<string>();
  for (let i = 0; i + NO_REPEAT_NGRAM_SIZE <= sequence.length; i++) {
    const ngram = sequence.slice(i, i + NO_REPEAT_NGRAM_SIZE).join(',');
    if (seen.has(ngram)) throw new Error(`Scripted answer for ${label} repeats the token 3-gram ${ngram}`);
    seen.add(ngram);
  }
}

/** One token's id; refuses text that is not exactly one token. */
function tokenId(tokenizer: Tokenizer, token: string): number {
  if (token === '<s>') return SPECIAL_TOKENS.bos;
  if (token === '</s>') return SPECIAL_TOKENS.eos;
  const ids = tokenizer.encode(token, { add_special_tokens: false }).ids;
  if (ids.length !== 1 || ids[0] === undefined) throw new Error(`${JSON.stringify(token)} is not one token`);
  return ids[0];
}

/**
 * Logits whose softmax gives the listed tokens exactly their probabilities: ln(p) each; the rest of
 * the mass, 1 - sum(p), shared equally by the n other tokens, ln((1 - sum(p)) / n), where n counts
 * every unlisted token but the end token; the end token (unless listed) END_TOKEN_MARGIN below that,
 * which adds e^-60 of the rest mass, nothing float32 can see. When the listed mass is 1 the others
 * share RULE_REST_FLOOR (1e-12) instead: softmax then gives p / (1 + 1e-12), p to float32.
 */
function ruleLogits(
  listed: readonly (readonly [number, number])[],
  label: string,
): { logits: number[]; other: number; end: number } {
  const mass = listed.reduce((sum, [, probability]) => sum + probability, 0);
  if (listed.length === 0 || listed.length > RULE_SLOTS)
    throw new Error(`${label}: a rule lists 1 to ${RULE_SLOTS} tokens`);
  if (listed.some(([, probability]) => !(probability > 0 && probability <= 1)) || mass > 1 + 1e-9) {
    throw new Error(`${label}: a rule's probabilities must be in (0, 1] and sum to at most 1`);
  }
  if (new Set(listed.map(([token]) => token)).size !== listed.length)
    throw new Error(`${label}: a rule lists a token twice`);
  const endListed = listed.some(([token]) => token === SPECIAL_TOKENS.eos);
  const others = VOCAB_SIZE - listed.length - (endListed ? 0 : 1);
  const other = Math.log(Math.max(1 - mass, RULE_REST_FLOOR) / others);
  const logits = listed.map(([, probability]) => Math.log(probability));
  return { logits: [...logits, ...Array(RULE_SLOTS - logits.length).fill(0)], other, end: other - END_TOKEN_MARGIN };
}

/**
 * Greedy decoding must still give the scripted answer: a rule met on the scripted path (its previous
 * token is the path's) must rank the path's next token first, above every other listed token and the
 * share of the unlisted ones.
 */
function assertRuleKeepsPath(
  tokens: readonly number[],
  rule: { step: number; previous: number; probabilities: readonly (readonly [number, number])[] },
  label: string,
): void {
  const onPath = rule.step === 0 ? rule.previous === SPECIAL_TOKENS.eos : tokens[rule.step - 1] === rule.previous;
  if (!onPath) return;
  const next = tokens[rule.step] ?? SPECIAL_TOKENS.eos;
  const chosen = rule.probabilities.find(([token]) => token === next)?.[1] ?? 0;
  const mass = rule.probabilities.reduce((sum, [, probability]) => sum + probability, 0);
  const rivals = [
    ...rule.probabilities.filter(([token]) => token !== next).map(([, p]) => p),
    (1 - mass) / (VOCAB_SIZE - rule.probabilities.length),
  ];
  if (!(chosen > Math.max(...rivals))) {
    throw new Error(`${label}: the rule at step ${rule.step} would take greedy decoding off the scripted answer`);
  }
}

export function buildScriptTable(tokenizer: Tokenizer): ScriptTable {
  const keys: number[] = [];
  const answers = [answerTokens(tokenizer, UNSCRIPTED_ANSWER)];
  const rules: { keys: number[]; tokens: number[][]; logits: number[][]; otherLogit: number[]; endLogit: number[] } = {
    keys: [],
    tokens: [],
    logits: [],
    otherLogit: [],
    endLogit: [],
  };
  const scripts: (Pick<ProbabilityScript, 'task' | 'answer'> & Partial<ProbabilityScript>)[] = [
    ...SCRIPTED_ANSWERS,
    ...PROBABILITY_SCRIPTS,
  ];
  for (const scripted of scripts) {
    const label = `${scripted.task} ${scripted.input ?? ''}`.trim();
    const promptIds = tokenizer.encode(promptFor(scripted)).ids;
    const key = promptIds.reduce((sum, id) => sum + id, 0);
    if (keys.includes(key)) throw new Error(`Prompt of ${label} has the same id sum as another scripted prompt`);
    const tokens = answerTokens(tokenizer, scripted.answer);
    assertNoRepeatedNgram(tokens, label);
    if (scripted.beamAnswer) assertNoRepeatedNgram(answerTokens(tokenizer, scripted.beamAnswer), `${label} (beams)`);
    keys.push(key);
    answers.push(tokens);
    const row = answers.length - 1;
    // Rules for tokens on the default path: the step is the token's place in the answer.
    let searchFrom = 1;
    const pathRules = (scripted.onPath ?? []).map(([token, probability]) => {
      const id = tokenId(tokenizer, token);
      const step = tokens.indexOf(id, searchFrom);
      if (step < 1) throw new Error(`${label}: ${JSON.stringify(token)} is not on the answer's path`);
      searchFrom = step + 1;
      return { step, previous: tokens[step - 1] ?? SPECIAL_TOKENS.bos, probabilities: [[id, probability] as const] };
    });
    const namedRules = (scripted.rules ?? []).map((rule) => ({
      step: rule.step,
      previous: tokenId(tokenizer, rule.previous),
      probabilities: rule.probabilities.map(
        ([token, probability]) => [tokenId(tokenizer, token), probability] as const,
      ),
    }));
    for (const rule of [...namedRules, ...pathRules]) {
      if (!Number.isInteger(rule.step) || rule.step < 0 || rule.step >= MAX_RULE_STEPS) {
        throw new Error(`${label}: rule step ${rule.step} is out of range`);
      }
      assertRuleKeepsPath(tokens, rule, label);
      const ruleKeyValue = ruleKey(row, rule.step, rule.previous, VOCAB_SIZE);
      if (rules.keys.includes(ruleKeyValue)) throw new Error(`${label}: two rules for step ${rule.step}`);
      const listed = rule.probabilities;
      const { logits, other, end } = ruleLogits(listed, label);
      rules.keys.push(ruleKeyValue);
      rules.tokens.push([...listed.map(([token]) => token), ...Array(RULE_SLOTS - listed.length).fill(-1)]);
      rules.logits.push(logits);
      rules.otherLogit.push(other);
      rules.endLogit.push(end);
    }
  }
  const rowLength = Math.max(...answers.map((tokens) => tokens.length));
  const rows = answers.map((tokens) => [...tokens, ...Array(rowLength - tokens.length).fill(SPECIAL_TOKENS.eos)]);
  const scriptRules: ScriptRules = rules;
  return { keys, rows, rules: scriptRules };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A BART-style tokenizer whose vocabulary covers every task prompt (and `extraTexts`). */
export function buildTokenizer(extraTexts: readonly string[]): { json: object; tokenizer: Tokenizer } {
  const tokenizerJson = buildTokenizerJson([...[...TASKS.values()].map((task) => task.prompt), ...extraTexts]);
  return { json: tokenizerJson, tokenizer: new Tokenizer(tokenizerJson, TOKENIZER_CONFIG) };
}

/** The configuration and tokenizer files of a Florence-2 model folder. */
export async function writeConfigFiles(outputDir: string, dims: ModelDimensions, tokenizerJson: object): Promise<void> {
  await mkdir(join(outputDir, 'onnx'), { recursive: true });
  await Promise.all([
    writeFile(join(outputDir, 'config.json'), json(florenceConfig(dims))),
    writeFile(join(outputDir, 'generation_config.json'), json(GENERATION_CONFIG)),
    writeFile(
      join(outputDir, 'preprocessor_config.json'),
      json({ ...PREPROCESSOR_CONFIG, image_seq_length: dims.imageTokens }),
    ),
    writeFile(join(outputDir, 'tokenizer.json'), JSON.stringify(tokenizerJson)),
    writeFile(join(outputDir, 'tokenizer_config.json'), json(TOKENIZER_CONFIG)),
  ]);
}

export async function makeTestModel(outputDir: string): Promise<void> {
  const { json: tokenizerJson, tokenizer } = buildTokenizer([
    ...SCRIPTED_ANSWERS.flatMap((scripted) => [promptFor(scripted), scripted.answer]),
    // Every token a rule names must be a word of its own.
    ...PROBABILITY_SCRIPTS.flatMap((script) => [
      promptFor(script),
      script.answer,
      script.beamAnswer ?? '',
      ...script.rules.flatMap((rule) => [rule.previous, ...rule.probabilities.map(([token]) => token)]),
      ...(script.onPath ?? []).map(([token]) => token),
    ]),
    UNSCRIPTED_ANSWER,
  ]);
  const script = buildScriptTable(tokenizer);

  const onnxFiles: Record<string, Uint8Array> = {
    'embed_tokens.onnx': encodeModel(embedTokensGraph('fp32'), 'florence2-web test model'),
    'embed_tokens_fp16.onnx': encodeModel(embedTokensGraph('fp16'), 'florence2-web test model'),
    'embed_tokens_quantized.onnx': encodeModel(embedTokensGraph('q8'), 'florence2-web test model'),
    'vision_encoder.onnx': encodeModel(visionEncoderGraph('fp32'), 'florence2-web test model'),
    'vision_encoder_fp16.onnx': encodeModel(visionEncoderGraph('fp16'), 'florence2-web test model'),
    'vision_encoder_q4.onnx': encodeModel(visionEncoderGraph('q4'), 'florence2-web test model'),
    'vision_encoder_quantized.onnx': encodeModel(visionEncoderGraph('q8'), 'florence2-web test model'),
    'encoder_model.onnx': encodeModel(encoderGraph('fp32'), 'florence2-web test model'),
    'encoder_model_q4.onnx': encodeModel(encoderGraph('q4'), 'florence2-web test model'),
    'encoder_model_quantized.onnx': encodeModel(encoderGraph('q8'), 'florence2-web test model'),
    'decoder_model_merged.onnx': encodeModel(decoderGraph('fp32', script, VOCAB_SIZE), 'florence2-web test model'),
    'decoder_model_merged_q4.onnx': encodeModel(decoderGraph('q4', script, VOCAB_SIZE), 'florence2-web test model'),
    'decoder_model_merged_quantized.onnx': encodeModel(
      decoderGraph('q8', script, VOCAB_SIZE),
      'florence2-web test model',
    ),
  };

  await writeConfigFiles(outputDir, TINY_DIMENSIONS, tokenizerJson);
  await Promise.all(Object.entries(onnxFiles).map(([name, bytes]) => writeFile(join(outputDir, 'onnx', name), bytes)));
}
