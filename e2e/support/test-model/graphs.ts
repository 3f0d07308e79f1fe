/**
 * The four Florence-2 sub-models of the scripted test model, with the real input/output names.
 *
 * How the script works: embed_tokens writes each token id into channel 0 (and a 1 into channel 1);
 * image features use other channels, so channel 0 summed over the unmasked encoder sequence is the
 * sum of the prompt's token ids. The decoder looks that sum up in a table of known prompts (row 0 when
 * none matches), reads the step from its self-attention cache length, and votes for the scripted
 * token: logit 0 for it, DEFAULT_OTHER_LOGIT (-20) for every other token, DEFAULT_END_LOGIT (-60) for
 * the end token `</s>` unless it is the scripted one (so beam search's spare beams never finish early).
 *
 * Rules override that vote where a test needs real probabilities (beam search, confidence scores): a
 * small sparse table keyed by (script row, step, previous token), the previous token read from the id
 * channel of each batch row's `inputs_embeds`, so every row of a batch (one a beam) gets its own. A
 * rule lists up to RULE_SLOTS tokens with logit ln(p); the other tokens share the rest of the mass.
 * Encoder and decoder pass their activations through a MatMul whose q4 variant is a
 * real 4-bit MatMulNBits and whose q8 variant is a real dynamic 8-bit MatMulInteger, so a broken
 * quantized kernel changes the answer.
 */
import {
  float16Tensor,
  floatTensor,
  type Graph,
  int32Tensor,
  int64Tensor,
  type Node,
  type Tensor,
  uint8Tensor,
} from '../onnx/graph';

export const HIDDEN_SIZE = 32;
export const HEADS = 2;
export const HEAD_SIZE = 4;
export const IMAGE_TOKENS = 577;
const PATCH = 32; // 768 / 32 = 24 patches a side, 576 patch tokens + 1 global token
const Q4_BLOCK_SIZE = 32;

export type FloatWeights = 'fp32' | 'fp16' | 'q8';
export type MatMulWeights = 'fp32' | 'q4' | 'q8';

const unitVector = (index: number) => Array.from({ length: HIDDEN_SIZE }, (_, i) => (i === index ? 1 : 0));
const identity = () =>
  Array.from({ length: HIDDEN_SIZE * HIDDEN_SIZE }, (_, i) =>
    Math.floor(i / HIDDEN_SIZE) === i % HIDDEN_SIZE ? 1 : 0,
  );

/**
 * A float weight: fp32 as is; fp16 stored in half precision and cast up (float32 I/O, as exports
 * keep); q8 stored as uint8 and dequantized (the values here are small non-negative integers).
 */
function floatWeight(
  name: string,
  dims: number[],
  values: number[],
  precision: FloatWeights,
): { tensors: Tensor[]; nodes: Node[] } {
  if (precision === 'fp32') return { tensors: [floatTensor(name, dims, values)], nodes: [] };
  if (precision === 'q8') {
    return {
      tensors: [
        uint8Tensor(`${name}_q8`, dims, Uint8Array.from(values)),
        floatTensor(`${name}_scale`, [], [1]),
        uint8Tensor(`${name}_zero_point`, [], Uint8Array.from([0])),
      ],
      nodes: [
        { op: 'DequantizeLinear', inputs: [`${name}_q8`, `${name}_scale`, `${name}_zero_point`], outputs: [name] },
      ],
    };
  }
  return {
    tensors: [float16Tensor(`${name}_fp16`, dims, values)],
    nodes: [{ op: 'Cast', inputs: [`${name}_fp16`], outputs: [name], attributes: { to: { int: 1 } } }],
  };
}

/**
 * Packs a K x N matrix of small integers into MatMulNBits' layout: per output column, blocks of 32
 * input rows, two 4-bit values a byte (low nibble first), value = (q - 8) * scale.
 */
function packQ4(
  matrix: number[],
  rows: number,
  columns: number,
  scale: number,
): { packed: Uint8Array; scales: number[] } {
  const blocks = rows / Q4_BLOCK_SIZE;
  const blobSize = Q4_BLOCK_SIZE / 2;
  const packed = new Uint8Array(columns * blocks * blobSize);
  for (let n = 0; n < columns; n++) {
    for (let k = 0; k < rows; k++) {
      const quantized = Math.round((matrix[k * columns + n] ?? 0) / scale) + 8;
      if (quantized < 0 || quantized > 15) throw new Error('Weight does not fit in 4 bits');
      const byteIndex = n * blocks * blobSize + Math.floor(k / 2);
      packed[byteIndex] = (packed[byteIndex] ?? 0) | (k % 2 === 0 ? quantized : quantized << 4);
    }
  }
  return { packed, scales: Array.from({ length: columns * blocks }, () => scale) };
}

/** `output = input x identity`, as MatMul (fp32), MatMulNBits (q4) or dynamic MatMulInteger (q8). */
function passThroughMatMul(
  input: string,
  output: string,
  weights: MatMulWeights,
): { tensors: Tensor[]; nodes: Node[] } {
  if (weights === 'q8') return exactIdChannelThroughQ8(input, output);
  return matMul(input, output, identity(), weights);
}

/**
 * The q8 pass-through. Dynamic quantization rounds a whole tensor to 256 levels, which would blur the
 * token ids the script adds up, so only the id channel's low byte goes through the 8-bit kernels: a
 * 255 appended to it pins the quantization scale to exactly 1, DynamicQuantizeLinear and
 * MatMulInteger (weight 1) then return it unchanged, and the id is put back together from it. Any
 * error in those kernels changes an id, and so the answer.
 */
function exactIdChannelThroughQ8(input: string, output: string): { tensors: Tensor[]; nodes: Node[] } {
  const name = (part: string) => `${output}_${part}`;
  return {
    tensors: [
      constantInt64(name('channel'), [1], [0]),
      floatTensor(name('byte'), [], [256]),
      constantInt64(name('pin_pads'), [6], [0, 0, 0, 0, 1, 0]),
      floatTensor(name('pin_value'), [], [255]),
      { name: name('weight'), type: 'int8', dims: [1, 1], raw: Uint8Array.of(1) },
      { name: name('weight_zero_point'), type: 'int8', dims: [], raw: Uint8Array.of(0) },
      constantInt64(name('keep_start'), [1], [0]),
      constantInt64(name('keep_end'), [1], [-1]),
      constantInt64(name('sequence_axis'), [1], [1]),
      floatTensor(name('id_basis'), [HIDDEN_SIZE], unitVector(0)),
    ],
    nodes: [
      { op: 'Gather', inputs: [input, name('channel')], outputs: [name('ids')], attributes: { axis: { int: 2 } } },
      { op: 'Mod', inputs: [name('ids'), name('byte')], outputs: [name('low')], attributes: { fmod: { int: 1 } } },
      { op: 'Sub', inputs: [name('ids'), name('low')], outputs: [name('high')] },
      { op: 'Pad', inputs: [name('low'), name('pin_pads'), name('pin_value')], outputs: [name('pinned')] },
      {
        op: 'DynamicQuantizeLinear',
        inputs: [name('pinned')],
        outputs: [name('quantized'), name('scale'), name('zero_point')],
      },
      {
        op: 'MatMulInteger',
        inputs: [name('quantized'), name('weight'), name('zero_point'), name('weight_zero_point')],
        outputs: [name('product')],
      },
      { op: 'Cast', inputs: [name('product')], outputs: [name('product_float')], attributes: { to: { int: 1 } } },
      { op: 'Mul', inputs: [name('product_float'), name('scale')], outputs: [name('dequantized')] },
      {
        op: 'Slice',
        inputs: [name('dequantized'), name('keep_start'), name('keep_end'), name('sequence_axis')],
        outputs: [name('low_again')],
      },
      { op: 'Add', inputs: [name('high'), name('low_again')], outputs: [name('ids_again')] },
      { op: 'Sub', inputs: [name('ids_again'), name('ids')], outputs: [name('id_change')] },
      { op: 'Mul', inputs: [name('id_change'), name('id_basis')], outputs: [name('change')] },
      { op: 'Add', inputs: [input, name('change')], outputs: [output] },
    ],
  };
}

/** `output = input x matrix` (HIDDEN_SIZE square), as MatMul (fp32) or MatMulNBits (q4). */
function matMul(
  input: string,
  output: string,
  matrix: number[],
  weights: MatMulWeights,
): { tensors: Tensor[]; nodes: Node[] } {
  const weightName = `${output}_weight`;
  if (weights === 'fp32') {
    return {
      tensors: [floatTensor(weightName, [HIDDEN_SIZE, HIDDEN_SIZE], matrix)],
      nodes: [{ op: 'MatMul', inputs: [input, weightName], outputs: [output] }],
    };
  }
  // Scale 0.5 so dequantization really multiplies: 1 is stored as q = 10.
  const { packed, scales } = packQ4(matrix, HIDDEN_SIZE, HIDDEN_SIZE, 0.5);
  return {
    tensors: [
      uint8Tensor(weightName, [HIDDEN_SIZE, HIDDEN_SIZE / Q4_BLOCK_SIZE, Q4_BLOCK_SIZE / 2], packed),
      floatTensor(`${weightName}_scales`, [scales.length], scales),
    ],
    nodes: [
      {
        op: 'MatMulNBits',
        domain: 'com.microsoft',
        inputs: [input, weightName, `${weightName}_scales`],
        outputs: [output],
        attributes: {
          K: { int: HIDDEN_SIZE },
          N: { int: HIDDEN_SIZE },
          bits: { int: 4 },
          block_size: { int: Q4_BLOCK_SIZE },
        },
      },
    ],
  };
}

const constantInt64 = (name: string, dims: number[], values: number[]) => int64Tensor(name, dims, values);

export function embedTokensGraph(precision: FloatWeights): Graph {
  const idBasis = floatWeight('id_basis', [HIDDEN_SIZE], unitVector(0), precision);
  const textFlag = floatWeight('text_flag', [HIDDEN_SIZE], unitVector(1), precision);
  return {
    name: 'embed_tokens',
    inputs: [{ name: 'input_ids', type: 'int64', shape: ['batch_size', 'sequence_length'] }],
    outputs: [{ name: 'inputs_embeds', type: 'float', shape: ['batch_size', 'sequence_length', HIDDEN_SIZE] }],
    initializers: [...idBasis.tensors, ...textFlag.tensors, constantInt64('last_axis', [1], [-1])],
    nodes: [
      ...idBasis.nodes,
      ...textFlag.nodes,
      { op: 'Cast', inputs: ['input_ids'], outputs: ['ids_float'], attributes: { to: { int: 1 } } },
      { op: 'Unsqueeze', inputs: ['ids_float', 'last_axis'], outputs: ['ids_column'] },
      { op: 'Mul', inputs: ['ids_column', 'id_basis'], outputs: ['id_channel'] },
      { op: 'Add', inputs: ['id_channel', 'text_flag'], outputs: ['inputs_embeds'] },
    ],
  };
}

export function visionEncoderGraph(precision: FloatWeights | 'q4'): Graph {
  // Mean colour of each patch (and of the whole image) lands in channels 2..4, away from the id channel.
  const colourProjection = Array.from({ length: 3 * HIDDEN_SIZE }, (_, i) =>
    i % HIDDEN_SIZE === Math.floor(i / HIDDEN_SIZE) + 2 ? 1 : 0,
  );
  if (precision === 'q4') return quantizedVisionEncoderGraph(colourProjection);
  const projection = floatWeight('colour_projection', [3, HIDDEN_SIZE], colourProjection, precision);
  return {
    name: 'vision_encoder',
    inputs: [{ name: 'pixel_values', type: 'float', shape: ['batch_size', 3, 'height', 'width'] }],
    outputs: [{ name: 'image_features', type: 'float', shape: ['batch_size', IMAGE_TOKENS, HIDDEN_SIZE] }],
    initializers: [
      ...projection.tensors,
      constantInt64('patch_grid_shape', [3], [0, 3, -1]),
      constantInt64('global_token_shape', [3], [0, 1, 3]),
    ],
    nodes: [
      ...projection.nodes,
      {
        op: 'AveragePool',
        inputs: ['pixel_values'],
        outputs: ['patch_means'],
        attributes: { kernel_shape: { ints: [PATCH, PATCH] }, strides: { ints: [PATCH, PATCH] } },
      },
      { op: 'Reshape', inputs: ['patch_means', 'patch_grid_shape'], outputs: ['patch_rows'] },
      { op: 'Transpose', inputs: ['patch_rows'], outputs: ['patch_tokens'], attributes: { perm: { ints: [0, 2, 1] } } },
      {
        op: 'ReduceMean',
        inputs: ['pixel_values'],
        outputs: ['image_mean'],
        attributes: { axes: { ints: [2, 3] }, keepdims: { int: 1 } },
      },
      { op: 'Reshape', inputs: ['image_mean', 'global_token_shape'], outputs: ['global_token'] },
      {
        op: 'Concat',
        inputs: ['global_token', 'patch_tokens'],
        outputs: ['colour_tokens'],
        attributes: { axis: { int: 1 } },
      },
      { op: 'MatMul', inputs: ['colour_tokens', 'colour_projection'], outputs: ['image_features'] },
    ],
  };
}

/** The q4 vision encoder: colours padded to the hidden width so a 4-bit MatMulNBits projects them. */
function quantizedVisionEncoderGraph(colourProjection: number[]): Graph {
  const square = Array.from({ length: HIDDEN_SIZE * HIDDEN_SIZE }, (_, i) =>
    i < 3 * HIDDEN_SIZE ? (colourProjection[i] ?? 0) : 0,
  );
  const projection = matMul('colour_tokens_padded', 'image_features', square, 'q4');
  const graph = visionEncoderGraph('fp32');
  return {
    ...graph,
    initializers: [
      ...graph.initializers.filter((tensor) => tensor.name !== 'colour_projection'),
      ...projection.tensors,
      constantInt64('colour_padding', [6], [0, 0, 0, 0, 0, HIDDEN_SIZE - 3]),
    ],
    nodes: [
      ...graph.nodes.filter((node) => node.op !== 'MatMul'),
      { op: 'Pad', inputs: ['colour_tokens', 'colour_padding'], outputs: ['colour_tokens_padded'] },
      ...projection.nodes,
    ],
  };
}

export function encoderGraph(weights: MatMulWeights): Graph {
  const projection = passThroughMatMul('masked_embeds', 'last_hidden_state', weights);
  return {
    name: 'encoder_model',
    inputs: [
      { name: 'inputs_embeds', type: 'float', shape: ['batch_size', 'encoder_sequence_length', HIDDEN_SIZE] },
      { name: 'attention_mask', type: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
    ],
    outputs: [
      { name: 'last_hidden_state', type: 'float', shape: ['batch_size', 'encoder_sequence_length', HIDDEN_SIZE] },
    ],
    initializers: [constantInt64('last_axis', [1], [-1]), ...projection.tensors],
    nodes: [
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_float'], attributes: { to: { int: 1 } } },
      { op: 'Unsqueeze', inputs: ['mask_float', 'last_axis'], outputs: ['mask_column'] },
      { op: 'Mul', inputs: ['inputs_embeds', 'mask_column'], outputs: ['masked_embeds'] },
      ...projection.nodes,
    ],
  };
}

export interface ScriptTable {
  /** Prompt id sums, one per scripted row after the fallback row 0. */
  readonly keys: readonly number[];
  /** Rows of token ids, all the same length (padded with EOS); row 0 answers unknown prompts. */
  readonly rows: readonly (readonly number[])[];
  readonly rules: ScriptRules;
}

/** Without a rule: the scripted token gets logit 0 and every other token this... */
export const DEFAULT_OTHER_LOGIT = -20;
/** ...but the end token `</s>` this, when it is not the scripted token. */
export const DEFAULT_END_LOGIT = -60;
/** Under a rule, how far below the unlisted tokens' shared logit the end token sits (when not listed). */
export const END_TOKEN_MARGIN = 60;
/**
 * The mass a rule whose listed probabilities sum to 1 leaves to the other tokens: the listed ones then
 * come out of softmax as p / (1 + 1e-12), equal to p in float32.
 */
export const RULE_REST_FLOOR = 1e-12;
/** Tokens a rule can list; unused slots hold -1. */
export const RULE_SLOTS = 4;
/** Steps a rule key can name (keys are (row * MAX_RULE_STEPS + step) * vocabulary + previous token). */
export const MAX_RULE_STEPS = 1024;

/**
 * Rules that replace the default vote, one entry each: for a (row, step, previous token) key, exact
 * logits for up to RULE_SLOTS tokens, one logit shared by every other token, and one for the end
 * token when it is not listed.
 */
export interface ScriptRules {
  readonly keys: readonly number[];
  readonly tokens: readonly (readonly number[])[];
  readonly logits: readonly (readonly number[])[];
  readonly otherLogit: readonly number[];
  readonly endLogit: readonly number[];
}

/** Exact in int64 (and in a double): rows * 1024 * 51289 stays far below 2^53. */
export const ruleKey = (row: number, step: number, previous: number, vocabSize: number): number =>
  (row * MAX_RULE_STEPS + step) * vocabSize + previous;

export function decoderGraph(weights: MatMulWeights, script: ScriptTable, vocabSize: number): Graph {
  const rowLength = script.rows[0]?.length ?? 0;
  if (script.rows.some((row) => row.length !== rowLength)) throw new Error('Script rows must be padded to one length');
  const { rules } = script;
  if (
    rules.tokens.some((tokens) => tokens.length !== RULE_SLOTS) ||
    rules.logits.some((l) => l.length !== RULE_SLOTS)
  ) {
    throw new Error(`Rules must fill ${RULE_SLOTS} slots`);
  }
  // Table row 0 is "no rule" (the default vote; the scripted token joins as an extra slot); row 1 is
  // a key that never matches, so the tables are never empty.
  const ruleKeys = [-1, ...rules.keys];
  const emptySlots = Array<number>(RULE_SLOTS).fill(-1);
  const zeroLogits = Array<number>(RULE_SLOTS).fill(0);
  const defaultBackground = [DEFAULT_OTHER_LOGIT, DEFAULT_END_LOGIT];
  const ruleTokens = [emptySlots, emptySlots, ...rules.tokens];
  const ruleLogits = [zeroLogits, zeroLogits, ...rules.logits];
  const ruleBackground = [
    defaultBackground,
    defaultBackground,
    ...rules.otherLogit.map((other, index) => [other, rules.endLogit[index] ?? other - END_TOKEN_MARGIN]),
  ];
  const encoderProjection = passThroughMatMul('encoder_hidden_states', 'encoder_projected', weights);
  const tokenProjection = passThroughMatMul('inputs_embeds', 'token_projected', weights);
  const kvWidth = HEADS * HEAD_SIZE;
  const pastDims = ['batch_size', HEADS, 'past_decoder_sequence_length', HEAD_SIZE];
  const encoderKvDims = ['batch_size', HEADS, 'encoder_sequence_length_out', HEAD_SIZE];
  const toHeads = (input: string, output: string): Node[] => [
    { op: 'Slice', inputs: [input, 'kv_start', 'kv_end', 'last_axis'], outputs: [`${output}_slice`] },
    { op: 'Reshape', inputs: [`${output}_slice`, 'heads_shape'], outputs: [`${output}_heads`] },
    { op: 'Transpose', inputs: [`${output}_heads`], outputs: [output], attributes: { perm: { ints: [0, 2, 1, 3] } } },
  ];
  return {
    name: 'decoder_model_merged',
    inputs: [
      { name: 'encoder_attention_mask', type: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
      { name: 'encoder_hidden_states', type: 'float', shape: ['batch_size', 'encoder_sequence_length', HIDDEN_SIZE] },
      { name: 'inputs_embeds', type: 'float', shape: ['batch_size', 'decoder_sequence_length', HIDDEN_SIZE] },
      { name: 'past_key_values.0.decoder.key', type: 'float', shape: pastDims },
      { name: 'past_key_values.0.decoder.value', type: 'float', shape: pastDims },
      { name: 'past_key_values.0.encoder.key', type: 'float', shape: encoderKvDims },
      { name: 'past_key_values.0.encoder.value', type: 'float', shape: encoderKvDims },
      { name: 'use_cache_branch', type: 'bool', shape: [1] },
    ],
    outputs: [
      { name: 'logits', type: 'float', shape: ['batch_size', 'decoder_sequence_length', vocabSize] },
      {
        name: 'present.0.decoder.key',
        type: 'float',
        shape: ['batch_size', HEADS, 'present_decoder_sequence_length', HEAD_SIZE],
      },
      {
        name: 'present.0.decoder.value',
        type: 'float',
        shape: ['batch_size', HEADS, 'present_decoder_sequence_length', HEAD_SIZE],
      },
      {
        name: 'present.0.encoder.key',
        type: 'float',
        shape: ['batch_size', HEADS, 'encoder_sequence_length_out', HEAD_SIZE],
      },
      {
        name: 'present.0.encoder.value',
        type: 'float',
        shape: ['batch_size', HEADS, 'encoder_sequence_length_out', HEAD_SIZE],
      },
    ],
    initializers: [
      ...encoderProjection.tensors,
      ...tokenProjection.tensors,
      constantInt64('id_channel', [], [0]),
      constantInt64('sequence_axis', [1], [1]),
      floatTensor('script_keys', [script.keys.length], [...script.keys]),
      constantInt64('fallback_row_pad', [4], [0, 1, 0, 0]),
      floatTensor('fallback_score', [], [0.5]),
      constantInt64('cache_length_index', [1], [2]),
      constantInt64('first_step', [1], [0]),
      constantInt64('last_step', [1], [rowLength - 1]),
      int32Tensor('script_table', [script.rows.length, rowLength], script.rows.flat()),
      constantInt64('last_axis', [1], [-1]),
      constantInt64('vocab_start', [], [0]),
      constantInt64('vocab_end', [], [vocabSize]),
      constantInt64('vocab_step', [], [1]),
      constantInt64('kv_start', [1], [0]),
      constantInt64('kv_end', [1], [kvWidth]),
      constantInt64('heads_shape', [4], [0, 0, HEADS, HEAD_SIZE]),
      constantInt64('head_and_width_axes', [2], [1, 3]),
      constantInt64('rule_keys', [ruleKeys.length], ruleKeys),
      constantInt64('rule_tokens', [ruleTokens.length, RULE_SLOTS], ruleTokens.flat()),
      floatTensor('rule_logits', [ruleLogits.length, RULE_SLOTS], ruleLogits.flat()),
      floatTensor('rule_background', [ruleBackground.length, 2], ruleBackground.flat()),
      constantInt64('max_rule_steps', [], [MAX_RULE_STEPS]),
      constantInt64('vocab_size', [], [vocabSize]),
      constantInt64('end_token', [], [2]),
      constantInt64('no_rule', [], [0]),
      constantInt64('no_token', [], [-1]),
      constantInt64('last_position', [1], [-1]),
      constantInt64('past_the_end', [1], [2 ** 31]),
      constantInt64('slot_axis', [1], [2]),
      constantInt64('scripted_slot_pad', [4], [0, 0, 0, 1]),
      floatTensor('scripted_logit', [], [0]),
      constantInt64('other_column_index', [1], [0]),
      constantInt64('end_column_index', [1], [1]),
    ],
    nodes: [
      ...encoderProjection.nodes,
      ...tokenProjection.nodes,
      // Which prompt: sum of the ids in the unmasked encoder sequence, looked up in the script keys.
      {
        op: 'Gather',
        inputs: ['encoder_projected', 'id_channel'],
        outputs: ['encoder_ids'],
        attributes: { axis: { int: 2 } },
      },
      {
        op: 'Cast',
        inputs: ['encoder_attention_mask'],
        outputs: ['encoder_mask_float'],
        attributes: { to: { int: 1 } },
      },
      { op: 'Mul', inputs: ['encoder_ids', 'encoder_mask_float'], outputs: ['prompt_ids'] },
      {
        op: 'ReduceSum',
        inputs: ['prompt_ids', 'sequence_axis'],
        outputs: ['fresh_prompt_sum'],
        attributes: { keepdims: { int: 1 } },
      },
      // On cached steps the prompt is read back from the encoder cache the caller passes in, as a
      // real decoder reads its cross-attention keys there: a caller that loses or garbles that
      // cache gets the fallback row, so the tests see it.
      {
        op: 'Gather',
        inputs: ['past_key_values.0.encoder.key', 'id_channel'],
        outputs: ['cached_head'],
        attributes: { axis: { int: 1 } },
      },
      {
        op: 'Gather',
        inputs: ['cached_head', 'id_channel'],
        outputs: ['cached_ids'],
        attributes: { axis: { int: 2 } },
      },
      {
        op: 'ReduceSum',
        inputs: ['cached_ids', 'sequence_axis'],
        outputs: ['cached_prompt_sum'],
        attributes: { keepdims: { int: 1 } },
      },
      { op: 'Where', inputs: ['use_cache_branch', 'cached_prompt_sum', 'fresh_prompt_sum'], outputs: ['prompt_sum'] },
      { op: 'Equal', inputs: ['prompt_sum', 'script_keys'], outputs: ['key_matches'] },
      { op: 'Cast', inputs: ['key_matches'], outputs: ['key_scores'], attributes: { to: { int: 1 } } },
      { op: 'Pad', inputs: ['key_scores', 'fallback_row_pad', 'fallback_score'], outputs: ['row_scores'] },
      {
        op: 'ArgMax',
        inputs: ['row_scores'],
        outputs: ['script_row'],
        attributes: { axis: { int: 1 }, keepdims: { int: 0 } },
      },
      // Which step: how many tokens the self-attention cache already holds.
      { op: 'Shape', inputs: ['past_key_values.0.decoder.key'], outputs: ['past_shape'] },
      {
        op: 'Gather',
        inputs: ['past_shape', 'cache_length_index'],
        outputs: ['past_length'],
        attributes: { axis: { int: 0 } },
      },
      { op: 'Where', inputs: ['use_cache_branch', 'past_length', 'first_step'], outputs: ['step'] },
      { op: 'Min', inputs: ['step', 'last_step'], outputs: ['script_step'] },
      {
        op: 'Gather',
        inputs: ['script_table', 'script_row'],
        outputs: ['row_tokens'],
        attributes: { axis: { int: 0 } },
      },
      {
        op: 'Gather',
        inputs: ['row_tokens', 'script_step'],
        outputs: ['next_token_int32'],
        attributes: { axis: { int: 1 } },
      },
      { op: 'Cast', inputs: ['next_token_int32'], outputs: ['next_token'], attributes: { to: { int: 7 } } },
      // Which rule: the key of each batch row from its script row, the step and the token it was fed
      // (read through the projection, so the quantized kernels carry it too). Table row 0 is "no rule".
      {
        op: 'Gather',
        inputs: ['token_projected', 'id_channel'],
        outputs: ['fed_ids'],
        attributes: { axis: { int: 2 } },
      },
      { op: 'Slice', inputs: ['fed_ids', 'last_position', 'past_the_end', 'sequence_axis'], outputs: ['fed_id'] },
      { op: 'Cast', inputs: ['fed_id'], outputs: ['previous_token'], attributes: { to: { int: 7 } } },
      { op: 'Unsqueeze', inputs: ['script_row', 'sequence_axis'], outputs: ['row_column'] },
      { op: 'Mul', inputs: ['row_column', 'max_rule_steps'], outputs: ['row_steps'] },
      { op: 'Add', inputs: ['row_steps', 'step'], outputs: ['row_step'] },
      { op: 'Mul', inputs: ['row_step', 'vocab_size'], outputs: ['row_step_vocab'] },
      { op: 'Add', inputs: ['row_step_vocab', 'previous_token'], outputs: ['rule_key'] },
      { op: 'Equal', inputs: ['rule_key', 'rule_keys'], outputs: ['rule_matches'] },
      { op: 'Cast', inputs: ['rule_matches'], outputs: ['rule_scores'], attributes: { to: { int: 1 } } },
      { op: 'Pad', inputs: ['rule_scores', 'fallback_row_pad', 'fallback_score'], outputs: ['rule_choice'] },
      {
        op: 'ArgMax',
        inputs: ['rule_choice'],
        outputs: ['rule_index'],
        attributes: { axis: { int: 1 }, keepdims: { int: 0 } },
      },
      // The listed tokens: the rule's, and without a rule the scripted token (at logit 0).
      { op: 'Equal', inputs: ['rule_index', 'no_rule'], outputs: ['without_rule'] },
      { op: 'Unsqueeze', inputs: ['without_rule', 'sequence_axis'], outputs: ['without_rule_column'] },
      { op: 'Where', inputs: ['without_rule_column', 'next_token', 'no_token'], outputs: ['scripted_slot'] },
      {
        op: 'Gather',
        inputs: ['rule_tokens', 'rule_index'],
        outputs: ['rule_slots'],
        attributes: { axis: { int: 0 } },
      },
      {
        op: 'Concat',
        inputs: ['rule_slots', 'scripted_slot'],
        outputs: ['listed_tokens'],
        attributes: { axis: { int: 1 } },
      },
      {
        op: 'Gather',
        inputs: ['rule_logits', 'rule_index'],
        outputs: ['rule_slot_logits'],
        attributes: { axis: { int: 0 } },
      },
      { op: 'Pad', inputs: ['rule_slot_logits', 'scripted_slot_pad', 'scripted_logit'], outputs: ['listed_logits'] },
      { op: 'Unsqueeze', inputs: ['listed_tokens', 'slot_axis'], outputs: ['listed_token_column'] },
      { op: 'Range', inputs: ['vocab_start', 'vocab_end', 'vocab_step'], outputs: ['vocab_ids'] },
      { op: 'Equal', inputs: ['listed_token_column', 'vocab_ids'], outputs: ['slot_hit'] },
      { op: 'Cast', inputs: ['slot_hit'], outputs: ['slot_hits'], attributes: { to: { int: 1 } } },
      { op: 'Unsqueeze', inputs: ['listed_logits', 'slot_axis'], outputs: ['listed_logit_column'] },
      // A vocabulary entry matches one slot at most, so the sum is that slot's logit, bit for bit.
      { op: 'Mul', inputs: ['slot_hits', 'listed_logit_column'], outputs: ['slot_terms'] },
      {
        op: 'ReduceSum',
        inputs: ['slot_terms', 'sequence_axis'],
        outputs: ['listed_values'],
        attributes: { keepdims: { int: 1 } },
      },
      {
        op: 'ReduceSum',
        inputs: ['slot_hits', 'sequence_axis'],
        outputs: ['listed_count'],
        attributes: { keepdims: { int: 1 } },
      },
      { op: 'Cast', inputs: ['listed_count'], outputs: ['is_listed'], attributes: { to: { int: 9 } } },
      // Everything else: the rule's (or the default's) shared logit, the end token its own.
      {
        op: 'Gather',
        inputs: ['rule_background', 'rule_index'],
        outputs: ['background_pair'],
        attributes: { axis: { int: 0 } },
      },
      {
        op: 'Gather',
        inputs: ['background_pair', 'other_column_index'],
        outputs: ['other_logit'],
        attributes: { axis: { int: 1 } },
      },
      {
        op: 'Gather',
        inputs: ['background_pair', 'end_column_index'],
        outputs: ['end_logit'],
        attributes: { axis: { int: 1 } },
      },
      { op: 'Unsqueeze', inputs: ['other_logit', 'slot_axis'], outputs: ['other_column'] },
      { op: 'Unsqueeze', inputs: ['end_logit', 'slot_axis'], outputs: ['end_column'] },
      { op: 'Equal', inputs: ['vocab_ids', 'end_token'], outputs: ['is_end_token'] },
      { op: 'Where', inputs: ['is_end_token', 'end_column', 'other_column'], outputs: ['background'] },
      { op: 'Where', inputs: ['is_listed', 'listed_values', 'background'], outputs: ['logits'] },
      // Caches: the decoder cache grows by the current token's projection; the encoder one is constant.
      ...toHeads('token_projected', 'new_token_kv'),
      {
        op: 'Concat',
        inputs: ['past_key_values.0.decoder.key', 'new_token_kv'],
        outputs: ['present.0.decoder.key'],
        attributes: { axis: { int: 2 } },
      },
      {
        op: 'Concat',
        inputs: ['past_key_values.0.decoder.value', 'new_token_kv'],
        outputs: ['present.0.decoder.value'],
        attributes: { axis: { int: 2 } },
      },
      ...toHeads('encoder_projected', 'encoder_kv'),
      // Masked, so the cached prompt sum counts the same ids as the fresh one.
      { op: 'Unsqueeze', inputs: ['encoder_mask_float', 'head_and_width_axes'], outputs: ['encoder_mask_heads'] },
      { op: 'Mul', inputs: ['encoder_kv', 'encoder_mask_heads'], outputs: ['present.0.encoder.key'] },
      { op: 'Identity', inputs: ['encoder_kv'], outputs: ['present.0.encoder.value'] },
    ],
  };
}
