/**
 * The synthetic model's weight formats, run through onnxruntime-node: each quantized or half-precision
 * layer must compute what its fp32 weights compute, within the error its format allows, and must
 * really use its format's operators (else the benchmark would time the wrong kernels).
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel, fromFloat16Bits, type Graph, toFloat16Bits } from '../onnx/graph';
import { GraphBuilder, type LinearWeights, type Q8WeightSign, Random } from './builder';
import { toFloat16Graph } from './float16';

const ROWS = 64;
const COLUMNS = 48;
const TOKENS = 5;

function linearGraph(weights: LinearWeights, sign: Q8WeightSign = 'int8'): Graph {
  const g = new GraphBuilder(new Random(7), weights, '', sign);
  g.rename(g.linear('x', ROWS, COLUMNS, false), 'y');
  return g.graph(
    'linear',
    [{ name: 'x', type: 'float', shape: [1, TOKENS, ROWS] }],
    [{ name: 'y', type: 'float', shape: [1, TOKENS, COLUMNS] }],
  );
}

function operators(graph: Graph): string[] {
  return graph.nodes.map((node) => node.op);
}

const input = new Random(3).fill(TOKENS * ROWS, 1);

/** x · W with the fp32 weights the builder drew, computed here from the graph's own initializer. */
function reference(): Float32Array {
  const weightTensor = linearGraph('fp32').initializers[0];
  if (!weightTensor) throw new Error('no weight');
  const weights = new Float32Array(weightTensor.raw.slice().buffer);
  const out = new Float32Array(TOKENS * COLUMNS);
  for (let t = 0; t < TOKENS; t++) {
    for (let n = 0; n < COLUMNS; n++) {
      let sum = 0;
      for (let k = 0; k < ROWS; k++) sum += (input[t * ROWS + k] ?? 0) * (weights[k * COLUMNS + n] ?? 0);
      out[t * COLUMNS + n] = sum;
    }
  }
  return out;
}

async function run(graph: Graph): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(graph, 'test'));
  try {
    const { y } = await session.run({ x: new ort.Tensor('float32', input, [1, TOKENS, ROWS]) });
    return y?.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Root-mean-square error relative to the reference's root-mean-square. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    error += ((actual[i] ?? 0) - (expected[i] ?? 0)) ** 2;
    scale += (expected[i] ?? 0) ** 2;
  }
  return Math.sqrt(error / scale);
}

describe('synthetic model weight formats', () => {
  const expected = reference();

  it('fp32 is exact', async () => {
    expect(relativeError(await run(linearGraph('fp32')), expected)).toBeLessThan(1e-6);
  });

  it.each([
    ['q8', 'int8', 0.005, 0.03],
    ['q8', 'uint8', 0.005, 0.03],
    // 4 bits, one scale per 32 weights: about 1/16 of the range per step.
    ['q4', 'int8', 0.02, 0.15],
  ] as const)('%s (%s weights) quantizes for real and stays close', async (weights, sign, atLeast, atMost) => {
    const graph = linearGraph(weights, sign);
    const error = relativeError(await run(graph), expected);
    expect(error).toBeGreaterThan(atLeast);
    expect(error).toBeLessThan(atMost);
    if (weights === 'q8') {
      expect(operators(graph)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Mul', 'Cast', 'Mul', 'Identity']);
      expect(graph.initializers.some((tensor) => tensor.type === sign && tensor.dims.length === 2)).toBe(true);
    } else {
      expect(operators(graph)).toEqual(['MatMulNBits', 'Identity']);
    }
  });

  it('fp16 keeps float32 inputs and outputs, computes in half precision', async () => {
    const graph = toFloat16Graph(linearGraph('fp32'));
    expect(graph.inputs[0]?.type).toBe('float');
    expect(graph.outputs[0]?.type).toBe('float');
    expect(graph.initializers.every((tensor) => tensor.type !== 'float')).toBe(true);
    expect(operators(graph)).toEqual(['Cast', 'MatMul', 'Identity', 'Cast']);
    const error = relativeError(await run(graph), expected);
    // Half precision carries 11 significant bits: about 5e-4 relative per value.
    expect(error).toBeGreaterThan(1e-5);
    expect(error).toBeLessThan(3e-3);
  });

  it('q4f16 is 4-bit weights with half-precision scales and activations', async () => {
    const graph = toFloat16Graph(linearGraph('q4'));
    const scales = graph.initializers.find((tensor) => tensor.name.includes('scales'));
    expect(scales?.type).toBe('float16');
    expect(operators(graph)).toEqual(['Cast', 'MatMulNBits', 'Identity', 'Cast']);
    const error = relativeError(await run(graph), expected);
    expect(error).toBeGreaterThan(0.02);
    expect(error).toBeLessThan(0.15);
  });

  it('q8 convolutions are ConvInteger with unsigned weights, close to fp32', async () => {
    const build = (weights: LinearWeights) => {
      const g = new GraphBuilder(new Random(11), weights, '', 'uint8');
      g.rename(g.conv('x', [4, 3, 3, 3], 0.2, { kernel_shape: { ints: [3, 3] } }), 'y');
      return g.graph(
        'conv',
        [{ name: 'x', type: 'float', shape: [1, 3, 6, 6] }],
        [{ name: 'y', type: 'float', shape: [1, 4, 4, 4] }],
      );
    };
    const image = new Random(5).fill(3 * 36, 1);
    const runConv = async (graph: Graph) => {
      const session = await ort.InferenceSession.create(encodeModel(graph, 'test'));
      const { y } = await session.run({ x: new ort.Tensor('float32', image, [1, 3, 6, 6]) });
      await session.release();
      return y?.data as Float32Array;
    };
    const quantized = build('q8');
    expect(operators(quantized)).toContain('ConvInteger');
    const error = relativeError(await runConv(quantized), await runConv(build('fp32')));
    expect(error).toBeGreaterThan(0.001);
    expect(error).toBeLessThan(0.05);
  });
});

describe('float16 bits', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [1e6, 0x7c00], // overflow: infinity
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -14, 0x0400], // smallest normal
    [1e-9, 0x0000], // underflow
    [1 + 2 ** -11, 0x3c00], // halfway: ties to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // halfway: ties to even (up)
  ])('%d is 0x%s', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  it('reads back what it wrote, to within half precision', () => {
    for (const value of [0.1, -0.0173, 2.5137, 1234.5, 6e-6]) {
      // Relative precision for normal numbers, absolute (half the smallest step) for subnormals.
      const bound = Math.max(Math.abs(value) * 2 ** -11, 2 ** -25);
      expect(Math.abs(fromFloat16Bits(toFloat16Bits(value)) - value)).toBeLessThanOrEqual(bound);
    }
  });
});
