/**
 * Builds ONNX ModelProto bytes from a small graph description, with protobufjs and the part of
 * ONNX's schema these models use (model.proto beside this file).
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export const ElementType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
} as const;
export type ElementTypeName = keyof typeof ElementType;

export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly type: ElementTypeName;
  /** Omitted for subgraph outputs whose shape is not declared. */
  readonly shape?: readonly Dim[];
}

export interface Tensor {
  readonly name: string;
  readonly type: ElementTypeName;
  readonly dims: readonly number[];
  readonly raw: Uint8Array;
}

export type AttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string }
  | { readonly tensor: Tensor }
  | { readonly graph: Graph };

export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: readonly Tensor[];
  readonly nodes: readonly Node[];
}

const AttributeKind = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, ints: 7 } as const;

// Messages as protobufjs takes them: model.proto's fields, named in camelCase.
type TensorMessage = { dims: readonly number[]; dataType: number; name: string; rawData: Uint8Array };
type ValueInfoMessage = {
  name: string;
  type: { tensorType: { elemType: number; shape?: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
};
type AttributeMessage = {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorMessage;
  g?: GraphMessage;
  ints?: readonly number[];
};
type NodeMessage = {
  input: readonly string[];
  output: readonly string[];
  name: string;
  opType: string;
  attribute: AttributeMessage[];
  domain?: string;
};
type GraphMessage = {
  node: NodeMessage[];
  name: string;
  initializer: TensorMessage[];
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
};

function tensorMessage(tensor: Tensor): TensorMessage {
  return { dims: tensor.dims, dataType: ElementType[tensor.type], name: tensor.name, rawData: tensor.raw };
}

function valueInfoMessage(info: ValueInfo): ValueInfoMessage {
  const tensorType = { elemType: ElementType[info.type] };
  if (!info.shape) return { name: info.name, type: { tensorType } };
  const dim = info.shape.map((size) => (typeof size === 'number' ? { dimValue: size } : { dimParam: size }));
  return { name: info.name, type: { tensorType: { ...tensorType, shape: { dim } } } };
}

function attributeMessage(name: string, value: AttributeValue): AttributeMessage {
  if ('int' in value) return { name, i: value.int, type: AttributeKind.int };
  if ('float' in value) return { name, f: value.float, type: AttributeKind.float };
  if ('ints' in value) return { name, ints: value.ints, type: AttributeKind.ints };
  // ONNX stores attribute strings as bytes: protobufjs would read a JavaScript string as base64.
  if ('string' in value) return { name, s: new TextEncoder().encode(value.string), type: AttributeKind.string };
  if ('tensor' in value) return { name, t: tensorMessage(value.tensor), type: AttributeKind.tensor };
  return { name, g: graphMessage(value.graph), type: AttributeKind.graph };
}

function nodeMessage(node: Node, index: number): NodeMessage {
  return {
    input: node.inputs,
    output: node.outputs,
    name: `${node.op}_${index}`,
    opType: node.op,
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attributeMessage(name, value)),
    ...(node.domain ? { domain: node.domain } : {}),
  };
}

function graphMessage(graph: Graph): GraphMessage {
  return {
    node: graph.nodes.map(nodeMessage),
    name: graph.name,
    initializer: graph.initializers.map(tensorMessage),
    input: graph.inputs.map(valueInfoMessage),
    output: graph.outputs.map(valueInfoMessage),
  };
}

let modelProto: protobuf.Type | null = null;

/** onnx.ModelProto, parsed from model.proto on first use. */
function modelType(): protobuf.Type {
  modelProto ??= protobuf
    .loadSync(fileURLToPath(new URL('./model.proto', import.meta.url)))
    .lookupType('onnx.ModelProto');
  return modelProto;
}

export function encodeModel(graph: Graph, producer: string): Uint8Array {
  const usesMicrosoftOps = (g: Graph): boolean =>
    g.nodes.some(
      (node) =>
        node.domain === 'com.microsoft' ||
        Object.values(node.attributes ?? {}).some((value) => 'graph' in value && usesMicrosoftOps(value.graph)),
    );
  return modelType()
    .encode({
      irVersion: 8, // opset 17 era
      producerName: producer,
      graph: graphMessage(graph),
      opsetImport: [
        { domain: '', version: 17 },
        ...(usesMicrosoftOps(graph) ? [{ domain: 'com.microsoft', version: 1 }] : []),
      ],
    })
    .finish();
}

// --- tensor helpers -------------------------------------------------------------------------------

export function floatTensor(name: string, dims: readonly number[], values: readonly number[]): Tensor {
  return { name, type: 'float', dims, raw: new Uint8Array(Float32Array.from(values).buffer) };
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): Tensor {
  return { name, type: 'int64', dims, raw: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) };
}

export function int32Tensor(name: string, dims: readonly number[], values: readonly number[]): Tensor {
  return { name, type: 'int32', dims, raw: new Uint8Array(Int32Array.from(values).buffer) };
}

export function uint8Tensor(name: string, dims: readonly number[], values: Uint8Array): Tensor {
  return { name, type: 'uint8', dims, raw: values };
}

/** IEEE 754 half precision bits of a number, round-to-nearest-even, with subnormals and overflow to infinity. */
export function toFloat16Bits(value: number): number {
  const bits = new Uint32Array(Float32Array.of(value).buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 31) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    // Subnormal: the implicit leading bit becomes explicit and the value is shifted into place.
    const shift = 14 - halfExponent;
    const full = mantissa | 0x800000;
    const halfway = 1 << (shift - 1);
    const remainder = full & ((1 << shift) - 1);
    let half = full >>> shift;
    if (remainder > halfway || (remainder === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // A carry out of the mantissa rightly increments the exponent.
  if (remainder > 0x1000 || (remainder === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** The number a float16 bit pattern stands for. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function float16Tensor(name: string, dims: readonly number[], values: readonly number[]): Tensor {
  return { name, type: 'float16', dims, raw: new Uint8Array(Uint16Array.from(values.map(toFloat16Bits)).buffer) };
}
