/**
 * Builds large ONNX graphs with random weights: named values, linear layers and convolutions in fp32,
 * 4-bit (MatMulNBits) or dynamic 8-bit (MatMulInteger / ConvInteger) form, layer norm, GELU, and
 * deterministic random numbers from a seed.
 */
import { floatTensor, type Graph, int64Tensor, type Node, type Tensor, type ValueInfo } from '../onnx/graph';

/** xorshift32: fast, deterministic for a seed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  /** Uniform values with the given standard deviation, centred on 0. */
  fill(count: number, std: number): Float32Array {
    const values = new Float32Array(count);
    const half = std * Math.sqrt(3);
    for (let i = 0; i < count; i++) values[i] = (this.next() * 2 - 1) * half;
    return values;
  }
}

/**
 * How linear layers store their weights, as the published exports do: 'q4' is MatMulNBits (blocks of
 * 32, the transformers.js quantize script's default), 'q8' is onnxruntime's dynamic quantization
 * (activations quantized at run time, per-tensor weights), the `_quantized` files.
 */
export type LinearWeights = 'fp32' | 'q4' | 'q8';

/**
 * 8-bit weights are signed, except in graphs with convolutions: ONNX Runtime Web has ConvInteger for
 * unsigned weights only, so the quantize script stores every weight of such a graph unsigned.
 */
export type Q8WeightSign = 'int8' | 'uint8';

const Q4_BLOCK = 32;

/** 4-bit blockwise quantization into MatMulNBits' layout (per column, blocks of 32 rows). */
function quantizeQ4(
  weights: Float32Array,
  rows: number,
  columns: number,
): { packed: Uint8Array; scales: Float32Array } {
  const blocks = Math.ceil(rows / Q4_BLOCK);
  const packed = new Uint8Array(columns * blocks * (Q4_BLOCK / 2));
  const scales = new Float32Array(columns * blocks);
  for (let n = 0; n < columns; n++) {
    for (let b = 0; b < blocks; b++) {
      let max = 0;
      for (let k = b * Q4_BLOCK; k < Math.min(rows, (b + 1) * Q4_BLOCK); k++) {
        max = Math.max(max, Math.abs(weights[k * columns + n] ?? 0));
      }
      const scale = max > 0 ? max / 7 : 1;
      scales[n * blocks + b] = scale;
      for (let k = b * Q4_BLOCK; k < Math.min(rows, (b + 1) * Q4_BLOCK); k++) {
        const q = Math.max(0, Math.min(15, Math.round((weights[k * columns + n] ?? 0) / scale) + 8));
        const byte = n * blocks * (Q4_BLOCK / 2) + b * (Q4_BLOCK / 2) + Math.floor((k - b * Q4_BLOCK) / 2);
        packed[byte] = (packed[byte] ?? 0) | ((k - b * Q4_BLOCK) % 2 === 0 ? q : q << 4);
      }
    }
  }
  return { packed, scales };
}

/** Per-tensor 8-bit weights: symmetric around 0 when signed, min..max (with 0 inside) when unsigned. */
function quantizeQ8(
  weights: Float32Array,
  sign: Q8WeightSign,
): { values: Uint8Array; scale: number; zeroPoint: number } {
  let min = 0;
  let max = 0;
  for (const weight of weights) {
    min = Math.min(min, weight);
    max = Math.max(max, weight);
  }
  const values = new Uint8Array(weights.length);
  if (sign === 'int8') {
    const scale = Math.max(-min, max) / 127 || 1;
    const signed = new Int8Array(values.buffer);
    for (let i = 0; i < weights.length; i++) {
      signed[i] = Math.max(-127, Math.min(127, Math.round((weights[i] ?? 0) / scale)));
    }
    return { values, scale, zeroPoint: 0 };
  }
  const scale = (max - min) / 255 || 1;
  const zeroPoint = Math.round(-min / scale);
  for (let i = 0; i < weights.length; i++) {
    values[i] = Math.max(0, Math.min(255, Math.round((weights[i] ?? 0) / scale) + zeroPoint));
  }
  return { values, scale, zeroPoint };
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private count = 0;

  /** `namespace` keeps value names unique when several builders feed one graph (If branches). */
  constructor(
    private readonly random: Random,
    readonly linearWeights: LinearWeights,
    private readonly namespace = '',
    private readonly q8Sign: Q8WeightSign = 'int8',
  ) {}

  fresh(prefix: string): string {
    return `${this.namespace}${prefix}_${this.count++}`;
  }

  weight(prefix: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(prefix);
    this.initializers.push({
      name,
      type: 'float',
      dims,
      raw: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    });
    return name;
  }

  randomWeight(prefix: string, dims: number[], std = 0.02): string {
    return this.weight(
      prefix,
      dims,
      this.random.fill(
        dims.reduce((a, b) => a * b, 1),
        std,
      ),
    );
  }

  constant(values: number[], dims: number[] = [values.length], type: 'int64' | 'float' = 'int64'): string {
    const name = this.fresh('const');
    this.initializers.push(type === 'int64' ? int64Tensor(name, dims, values) : floatTensor(name, dims, values));
    return name;
  }

  op(op: string, inputs: string[], attributes?: Node['attributes'], outputs = 1, domain?: string): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({
      op,
      inputs,
      outputs: names,
      ...(attributes ? { attributes } : {}),
      ...(domain ? { domain } : {}),
    });
    return names;
  }

  one(op: string, inputs: string[], attributes?: Node['attributes']): string {
    return this.op(op, inputs, attributes)[0] as string;
  }

  /** Names the value `from` as `to` (graph outputs need their fixed names). */
  rename(from: string, to: string): void {
    this.nodes.push({ op: 'Identity', inputs: [from], outputs: [to] });
  }

  /** x [.., K] -> [.., N]; fp32 MatMul, 4-bit MatMulNBits or dynamic 8-bit MatMulInteger, plus an optional bias. */
  linear(x: string, rows: number, columns: number, bias = true): string {
    const weights = this.random.fill(rows * columns, 0.02);
    let out: string;
    if (this.linearWeights === 'q4' && rows % Q4_BLOCK === 0) {
      const { packed, scales } = quantizeQ4(weights, rows, columns);
      const packedName = this.fresh('w_q4');
      this.initializers.push({
        name: packedName,
        type: 'uint8',
        dims: [columns, rows / Q4_BLOCK, Q4_BLOCK / 2],
        raw: packed,
      });
      const scaleName = this.weight('w_scales', [scales.length], scales);
      out = this.op(
        'MatMulNBits',
        [x, packedName, scaleName],
        {
          K: { int: rows },
          N: { int: columns },
          bits: { int: 4 },
          block_size: { int: Q4_BLOCK },
        },
        1,
        'com.microsoft',
      )[0] as string;
    } else if (this.linearWeights === 'q8') {
      out = this.dynamicInteger('MatMulInteger', x, weights, [rows, columns]);
    } else {
      out = this.one('MatMul', [x, this.weight('w', [rows, columns], weights)]);
    }
    return bias ? this.one('Add', [out, this.weight('b', [columns], new Float32Array(columns))]) : out;
  }

  /** A convolution without padding unless given; dynamic 8-bit (ConvInteger) in q8 graphs, as the export quantizes it. */
  conv(x: string, dims: [number, number, number, number], std: number, attributes: Node['attributes']): string {
    const weights = this.random.fill(
      dims.reduce((a, b) => a * b, 1),
      std,
    );
    const bias = this.weight('conv_bias', [dims[0]], new Float32Array(dims[0]));
    if (this.linearWeights !== 'q8')
      return this.one('Conv', [x, this.weight('conv_w', dims, weights), bias], attributes);
    const convolved = this.dynamicInteger('ConvInteger', x, weights, dims, attributes);
    return this.one('Add', [convolved, this.one('Reshape', [bias, this.constant([1, dims[0], 1, 1])])]);
  }

  /**
   * onnxruntime's dynamic quantization of one MatMul or Conv: the activation is quantized to uint8 at
   * run time, multiplied in integers with the 8-bit weight, and scaled back to float.
   */
  private dynamicInteger(
    op: 'MatMulInteger' | 'ConvInteger',
    x: string,
    weights: Float32Array,
    dims: number[],
    attributes?: Node['attributes'],
  ): string {
    const sign = op === 'ConvInteger' ? 'uint8' : this.q8Sign;
    const { values, scale, zeroPoint } = quantizeQ8(weights, sign);
    const weightName = this.fresh('w_q8');
    this.initializers.push({ name: weightName, type: sign, dims, raw: values });
    const zeroName = this.fresh('w_zero_point');
    this.initializers.push({ name: zeroName, type: sign, dims: [], raw: Uint8Array.of(zeroPoint & 0xff) });
    const [quantized, activationScale, activationZero] = this.op('DynamicQuantizeLinear', [x], undefined, 3) as [
      string,
      string,
      string,
    ];
    const product = this.one(op, [quantized, weightName, activationZero, zeroName], attributes);
    const combinedScale = this.one('Mul', [activationScale, this.constant([scale], [], 'float')]);
    return this.one('Mul', [this.one('Cast', [product], { to: { int: 1 } }), combinedScale]);
  }

  layerNorm(x: string, width: number): string {
    const scale = this.weight('ln_scale', [width], new Float32Array(width).fill(1));
    const bias = this.weight('ln_bias', [width], new Float32Array(width));
    return this.one('LayerNormalization', [x, scale, bias], { axis: { int: -1 }, epsilon: { float: 1e-5 } });
  }

  gelu(x: string): string {
    const scaled = this.one('Mul', [x, this.constant([Math.SQRT1_2], [], 'float')]);
    const erf = this.one('Erf', [scaled]);
    const onePlus = this.one('Add', [erf, this.constant([1], [], 'float')]);
    return this.one('Mul', [this.one('Mul', [x, onePlus]), this.constant([0.5], [], 'float')]);
  }

  graph(name: string, inputs: ValueInfo[], outputs: ValueInfo[]): Graph {
    return { name, inputs, outputs, initializers: this.initializers, nodes: this.nodes };
  }
}
