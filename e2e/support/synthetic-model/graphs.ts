/**
 * Florence-2-base-sized sub-models with random weights: the real dimensions and I/O names, real
 * compute, and a decoder whose greedy output is scripted to a known length per prompt.
 */
import type { Graph, Node, ValueInfo } from '../onnx/graph';
import { GraphBuilder, type LinearWeights, Random } from './builder';

export const D_MODEL = 768;
export const HEADS = 12;
export const HEAD_SIZE = D_MODEL / HEADS;
export const LAYERS = 6;
export const FFN = 3072;
export const VOCAB = 51289;
export const IMAGE_SIZE = 768;
export const IMAGE_TOKENS = 577;
const MAX_POSITIONS = 1026; // BART's learned positions, offset by 2

// DaViT-base: four stages of these widths and depths (each depth unit is two blocks).
const VISION_STAGES = [
  { width: 128, depth: 1, grid: 192 },
  { width: 256, depth: 1, grid: 96 },
  { width: 512, depth: 9, grid: 48 },
  { width: 1024, depth: 1, grid: 24 },
];

export function embedTokensGraph(seed: number, precision: 'fp32' | 'q8'): Graph {
  const random = new Random(seed);
  const g = new GraphBuilder(random, 'fp32');
  const table = random.fill(VOCAB * D_MODEL, 0.02);
  let embeds: string;
  if (precision === 'q8') {
    // 8-bit table, dequantized after the lookup, as the `_quantized` export does.
    const scale = (0.02 * Math.sqrt(3)) / 127;
    const quantized = new Uint8Array(table.length);
    for (let i = 0; i < table.length; i++)
      quantized[i] = Math.max(0, Math.min(255, Math.round((table[i] ?? 0) / scale) + 128));
    const name = g.fresh('table_q8');
    g.initializers.push({ name, type: 'uint8', dims: [VOCAB, D_MODEL], raw: quantized });
    const gathered = g.one('Gather', [name, 'input_ids']);
    const zero = g.fresh('zero_point');
    g.initializers.push({ name: zero, type: 'uint8', dims: [], raw: Uint8Array.from([128]) });
    embeds = g.one('DequantizeLinear', [gathered, g.constant([scale], [], 'float'), zero]);
  } else {
    embeds = g.one('Gather', [g.weight('table', [VOCAB, D_MODEL], table), 'input_ids']);
  }
  g.rename(embeds, 'inputs_embeds');
  return g.graph(
    'embed_tokens',
    [{ name: 'input_ids', type: 'int64', shape: ['batch_size', 'sequence_length'] }],
    [{ name: 'inputs_embeds', type: 'float', shape: ['batch_size', 'sequence_length', D_MODEL] }],
  );
}

/** Channel-attention block plus MLP, pre-norm, on tokens [B, N, C]: 12 C^2 weights, ~14 N C^2 MACs. */
function visionBlock(g: GraphBuilder, tokens: string, width: number): string {
  const normed = g.layerNorm(tokens, width);
  const qkv = g.linear(normed, width, 3 * width, false);
  const slice = (index: number) =>
    g.one('Slice', [qkv, g.constant([index * width]), g.constant([(index + 1) * width]), g.constant([-1])]);
  const [q, k, v] = [slice(0), slice(1), slice(2)];
  const keysByChannel = g.one('Transpose', [k], { perm: { ints: [0, 2, 1] } });
  const affinity = g.one('Mul', [g.one('MatMul', [keysByChannel, v]), g.constant([1 / Math.sqrt(width)], [], 'float')]);
  const attention = g.one('Softmax', [affinity], { axis: { int: -1 } });
  const mixed = g.linear(g.one('MatMul', [q, attention]), width, width, false);
  const afterAttention = g.one('Add', [tokens, mixed]);
  const hidden = g.gelu(g.linear(g.layerNorm(afterAttention, width), width, 4 * width));
  return g.one('Add', [afterAttention, g.linear(hidden, 4 * width, width)]);
}

export function visionEncoderGraph(seed: number, weights: LinearWeights): Graph {
  // The tower has convolutions, so its 8-bit weights are unsigned (see Q8WeightSign).
  const g = new GraphBuilder(new Random(seed), weights, '', 'uint8');
  let feature = g.conv('pixel_values', [128, 3, 7, 7], 0.05, {
    strides: { ints: [4, 4] },
    pads: { ints: [3, 3, 3, 3] },
    kernel_shape: { ints: [7, 7] },
  });
  let tokens = '';
  let previousWidth = 128;
  for (const [index, stage] of VISION_STAGES.entries()) {
    if (index > 0) {
      feature = g.conv(feature, [stage.width, previousWidth, 2, 2], 0.03, {
        strides: { ints: [2, 2] },
        kernel_shape: { ints: [2, 2] },
      });
    }
    tokens = g.one('Transpose', [g.one('Reshape', [feature, g.constant([0, stage.width, -1])])], {
      perm: { ints: [0, 2, 1] },
    });
    for (let block = 0; block < 2 * stage.depth; block++) tokens = visionBlock(g, tokens, stage.width);
    if (index < VISION_STAGES.length - 1) {
      feature = g.one('Reshape', [
        g.one('Transpose', [tokens], { perm: { ints: [0, 2, 1] } }),
        g.constant([0, stage.width, stage.grid, stage.grid]),
      ]);
    }
    previousWidth = stage.width;
  }
  const projected = g.linear(g.layerNorm(tokens, 1024), 1024, D_MODEL);
  const summary = g.one('ReduceMean', [projected], { axes: { ints: [1] }, keepdims: { int: 1 } });
  g.rename(g.one('Concat', [summary, projected], { axis: { int: 1 } }), 'image_features');
  return g.graph(
    'vision_encoder',
    [{ name: 'pixel_values', type: 'float', shape: ['batch_size', 3, IMAGE_SIZE, IMAGE_SIZE] }],
    [{ name: 'image_features', type: 'float', shape: ['batch_size', IMAGE_TOKENS, D_MODEL] }],
  );
}

/** [B, T, 768] -> [B, 12, T, 64] */
function toHeads(g: GraphBuilder, x: string): string {
  return g.one('Transpose', [g.one('Reshape', [x, g.constant([0, 0, HEADS, HEAD_SIZE])])], {
    perm: { ints: [0, 2, 1, 3] },
  });
}

/** [B, 12, T, 64] -> [B, T, 768] */
function fromHeads(g: GraphBuilder, x: string): string {
  return g.one('Reshape', [g.one('Transpose', [x], { perm: { ints: [0, 2, 1, 3] } }), g.constant([0, 0, D_MODEL])]);
}

function attend(g: GraphBuilder, query: string, keys: string, values: string, bias: string | null): string {
  const keysT = g.one('Transpose', [keys], { perm: { ints: [0, 1, 3, 2] } });
  let scores = g.one('Mul', [g.one('MatMul', [query, keysT]), g.constant([1 / Math.sqrt(HEAD_SIZE)], [], 'float')]);
  if (bias) scores = g.one('Add', [scores, bias]);
  return g.one('MatMul', [g.one('Softmax', [scores], { axis: { int: -1 } }), values]);
}

/** Padding mask [B, S] (int64, 1 = keep) -> additive bias [B, 1, 1, S]. */
function maskBias(g: GraphBuilder, mask: string): string {
  const keep = g.one('Cast', [mask], { to: { int: 1 } });
  const blocked = g.one('Sub', [g.constant([1], [], 'float'), keep]);
  return g.one('Unsqueeze', [g.one('Mul', [blocked, g.constant([-1e4], [], 'float')]), g.constant([1, 2])]);
}

function feedForward(g: GraphBuilder, x: string): string {
  const out = g.linear(g.gelu(g.linear(x, D_MODEL, FFN)), FFN, D_MODEL);
  return g.layerNorm(g.one('Add', [x, out]), D_MODEL);
}

/** BART's input: `inputs_embeds` plus learned position embeddings, layer-normalised. */
function withLearnedPositions(g: GraphBuilder, positions: string): string {
  const embedded = g.one('Add', [
    'inputs_embeds',
    g.one('Gather', [g.randomWeight('positions', [MAX_POSITIONS, D_MODEL]), positions]),
  ]);
  return g.layerNorm(embedded, D_MODEL);
}

export function encoderGraph(seed: number, weights: LinearWeights): Graph {
  const g = new GraphBuilder(new Random(seed), weights);
  const length = g.one('Gather', [g.one('Shape', ['inputs_embeds']), g.constant([1], [])]);
  const positions = g.one('Add', [
    g.one('Range', [g.constant([0], []), length, g.constant([1], [])]),
    g.constant([2], []),
  ]);
  let x = withLearnedPositions(g, positions);
  const bias = maskBias(g, 'attention_mask');
  for (let layer = 0; layer < LAYERS; layer++) {
    const q = toHeads(g, g.linear(x, D_MODEL, D_MODEL));
    const k = toHeads(g, g.linear(x, D_MODEL, D_MODEL));
    const v = toHeads(g, g.linear(x, D_MODEL, D_MODEL));
    const attended = g.linear(fromHeads(g, attend(g, q, k, v, bias)), D_MODEL, D_MODEL);
    x = feedForward(g, g.layerNorm(g.one('Add', [x, attended]), D_MODEL));
  }
  g.rename(x, 'last_hidden_state');
  return g.graph(
    'encoder_model',
    [
      { name: 'inputs_embeds', type: 'float', shape: ['batch_size', 'encoder_sequence_length', D_MODEL] },
      { name: 'attention_mask', type: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
    ],
    [{ name: 'last_hidden_state', type: 'float', shape: ['batch_size', 'encoder_sequence_length', D_MODEL] }],
  );
}

/** How many tokens the decoder writes for a prompt, keyed by the encoder sequence length. */
export interface LengthScript {
  readonly encoderLengths: readonly number[];
  readonly answerLengths: readonly number[];
  readonly defaultLength: number;
}

const FIRST_LOCATION_TOKEN = 50269;
const EOS = 2;
// The scripted vote outweighs the random language-model head by far.
const VOTE = 1000;

export function decoderGraph(seed: number, weights: LinearWeights, script: LengthScript): Graph {
  const g = new GraphBuilder(new Random(seed), weights);
  const pastDims = ['batch_size', HEADS, 'past_decoder_sequence_length', HEAD_SIZE];
  const encoderDims = ['batch_size', HEADS, 'encoder_sequence_length_out', HEAD_SIZE];
  const inputs: ValueInfo[] = [
    { name: 'encoder_attention_mask', type: 'int64' as const, shape: ['batch_size', 'encoder_sequence_length'] },
    {
      name: 'encoder_hidden_states',
      type: 'float' as const,
      shape: ['batch_size', 'encoder_sequence_length', D_MODEL],
    },
    { name: 'inputs_embeds', type: 'float' as const, shape: ['batch_size', 'decoder_sequence_length', D_MODEL] },
  ];
  const outputs: ValueInfo[] = [
    { name: 'logits', type: 'float' as const, shape: ['batch_size', 'decoder_sequence_length', VOCAB] },
  ];
  for (let layer = 0; layer < LAYERS; layer++) {
    for (const kind of ['decoder', 'encoder'] as const) {
      for (const part of ['key', 'value'] as const) {
        inputs.push({
          name: `past_key_values.${layer}.${kind}.${part}`,
          type: 'float',
          shape: kind === 'decoder' ? pastDims : encoderDims,
        });
        outputs.push({
          name: `present.${layer}.${kind}.${part}`,
          type: 'float',
          shape: kind === 'decoder' ? ['batch_size', HEADS, 'present_decoder_sequence_length', HEAD_SIZE] : encoderDims,
        });
      }
    }
  }
  inputs.push({ name: 'use_cache_branch', type: 'bool', shape: [1] });

  // Position of the current token: the self-attention cache length (0 on the first step).
  const pastLength = g.one('Gather', [g.one('Shape', ['past_key_values.0.decoder.key']), g.constant([2])]);
  const step = g.one('Where', ['use_cache_branch', pastLength, g.constant([0])]);
  const position = g.one('Add', [step, g.constant([2])]);
  let x = withLearnedPositions(g, position);
  const crossBias = maskBias(g, 'encoder_attention_mask');

  for (let layer = 0; layer < LAYERS; layer++) {
    // Self-attention over the cache plus this token.
    const q = toHeads(g, g.linear(x, D_MODEL, D_MODEL));
    const k = g.one('Concat', [`past_key_values.${layer}.decoder.key`, toHeads(g, g.linear(x, D_MODEL, D_MODEL))], {
      axis: { int: 2 },
    });
    const v = g.one('Concat', [`past_key_values.${layer}.decoder.value`, toHeads(g, g.linear(x, D_MODEL, D_MODEL))], {
      axis: { int: 2 },
    });
    g.rename(k, `present.${layer}.decoder.key`);
    g.rename(v, `present.${layer}.decoder.value`);
    const selfOut = g.linear(fromHeads(g, attend(g, q, k, v, null)), D_MODEL, D_MODEL);
    x = g.layerNorm(g.one('Add', [x, selfOut]), D_MODEL);

    // Cross-attention: keys and values of the encoder output are computed on the first step only,
    // then reused from the cache, like the exported merged decoder's If branches.
    const computeBranch = new GraphBuilder(new Random(seed + 1000 + layer), weights, `cross${layer}_`);
    const crossKey = toHeads(computeBranch, computeBranch.linear('encoder_hidden_states', D_MODEL, D_MODEL));
    const crossValue = toHeads(computeBranch, computeBranch.linear('encoder_hidden_states', D_MODEL, D_MODEL));
    const reuseNodes: Node[] = [
      { op: 'Identity', inputs: [`past_key_values.${layer}.encoder.key`], outputs: [`reuse_key_${layer}`] },
      { op: 'Identity', inputs: [`past_key_values.${layer}.encoder.value`], outputs: [`reuse_value_${layer}`] },
    ];
    const branchOutputs = (key: string, value: string) => [
      { name: key, type: 'float' as const },
      { name: value, type: 'float' as const },
    ];
    g.initializers.push(...computeBranch.initializers);
    const [presentKey, presentValue] = [`present.${layer}.encoder.key`, `present.${layer}.encoder.value`];
    g.nodes.push({
      op: 'If',
      inputs: [g.one('Squeeze', ['use_cache_branch', g.constant([0])])],
      outputs: [presentKey, presentValue],
      attributes: {
        then_branch: {
          graph: {
            name: `reuse_${layer}`,
            inputs: [],
            outputs: branchOutputs(`reuse_key_${layer}`, `reuse_value_${layer}`),
            initializers: [],
            nodes: reuseNodes,
          },
        },
        else_branch: {
          graph: {
            name: `compute_${layer}`,
            inputs: [],
            outputs: branchOutputs(crossKey, crossValue),
            initializers: [],
            nodes: computeBranch.nodes,
          },
        },
      },
    });
    const crossQuery = toHeads(g, g.linear(x, D_MODEL, D_MODEL));
    const crossOut = g.linear(
      fromHeads(g, attend(g, crossQuery, presentKey, presentValue, crossBias)),
      D_MODEL,
      D_MODEL,
    );
    x = feedForward(g, g.layerNorm(g.one('Add', [x, crossOut]), D_MODEL));
  }
  const lmLogits = g.linear(x, D_MODEL, VOCAB, false);

  // The script: the prompt's length picks how many tokens to write; each step votes for a distinct
  // location token (no repeated n-grams), then end-of-sequence.
  const encoderLength = g.one('Gather', [g.one('Shape', ['encoder_hidden_states']), g.constant([1])]);
  const matches = g.one('Cast', [g.one('Equal', [encoderLength, g.constant([...script.encoderLengths])])], {
    to: { int: 1 },
  });
  const row = g.one('ArgMax', [g.one('Pad', [matches, g.constant([1, 0]), g.constant([0.5], [], 'float')])], {
    axis: { int: 0 },
    keepdims: { int: 1 },
  });
  const answerLength = g.one('Gather', [g.constant([script.defaultLength, ...script.answerLengths]), row]);
  const locationToken = g.one('Add', [
    g.one('Mod', [g.one('Mul', [step, g.constant([7])]), g.constant([1000])]),
    g.constant([FIRST_LOCATION_TOKEN]),
  ]);
  const target = g.one('Where', [g.one('Less', [step, answerLength]), locationToken, g.constant([EOS])]);
  const vote = g.one(
    'Cast',
    [g.one('Equal', [g.one('Range', [g.constant([0], []), g.constant([VOCAB], []), g.constant([1], [])]), target])],
    {
      to: { int: 1 },
    },
  );
  g.rename(g.one('Add', [lmLogits, g.one('Mul', [vote, g.constant([VOTE], [], 'float')])]), 'logits');
  return g.graph('decoder_model_merged', inputs, outputs);
}
