/**
 * Builds ONNX ModelProto bytes from a small graph description (field numbers from onnx.proto).
 */
import { bytes, encode, float32, int, message, string } from './proto';

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

function tensorProto(fieldNumber: number, tensor: Tensor): Uint8Array {
  return message(fieldNumber, [
    ...tensor.dims.map((dim) => int(1, dim)),
    int(2, ElementType[tensor.type]),
    string(8, tensor.name),
    bytes(9, tensor.raw),
  ]);
}

function valueInfo(fieldNumber: number, info: ValueInfo): Uint8Array {
  const dims = (info.shape ?? []).map((dim) => message(1, [typeof dim === 'number' ? int(1, dim) : string(2, dim)]));
  const tensorType = message(1, [int(1, ElementType[info.type]), ...(info.shape ? [message(2, dims)] : [])]);
  return message(fieldNumber, [string(1, info.name), message(2, [tensorType])]);
}

function attribute(name: string, value: AttributeValue): Uint8Array {
  const fields = [string(1, name)];
  if ('int' in value) fields.push(int(3, value.int), int(20, AttributeKind.int));
  else if ('float' in value) fields.push(float32(2, value.float), int(20, AttributeKind.float));
  else if ('ints' in value) fields.push(...value.ints.map((v) => int(8, v)), int(20, AttributeKind.ints));
  else if ('string' in value) fields.push(string(4, value.string), int(20, AttributeKind.string));
  else if ('tensor' in value) fields.push(tensorProto(5, value.tensor), int(20, AttributeKind.tensor));
  else fields.push(message(6, graphFields(value.graph)), int(20, AttributeKind.graph));
  return message(5, fields);
}

function nodeProto(node: Node, index: number): Uint8Array {
  return message(1, [
    ...node.inputs.map((input) => string(1, input)),
    ...node.outputs.map((output) => string(2, output)),
    string(3, `${node.op}_${index}`),
    string(4, node.op),
    ...Object.entries(node.attributes ?? {}).map(([name, value]) => attribute(name, value)),
    ...(node.domain ? [string(7, node.domain)] : []),
  ]);
}

function graphFields(graph: Graph): Uint8Array[] {
  return [
    ...graph.nodes.map(nodeProto),
    string(2, graph.name),
    ...graph.initializers.map((tensor) => tensorProto(5, tensor)),
    ...graph.inputs.map((info) => valueInfo(11, info)),
    ...graph.outputs.map((info) => valueInfo(12, info)),
  ];
}

export function encodeModel(graph: Graph, producer: string): Uint8Array {
  const usesMicrosoftOps = (g: Graph): boolean =>
    g.nodes.some(
      (node) =>
        node.domain === 'com.microsoft' ||
        Object.values(node.attributes ?? {}).some((value) => 'graph' in value && usesMicrosoftOps(value.graph)),
    );
  return encode([
    int(1, 8), // IR version 8 (opset 17 era)
    string(2, producer),
    message(7, graphFields(graph)),
    message(8, [string(1, ''), int(2, 17)]),
    ...(usesMicrosoftOps(graph) ? [message(8, [string(1, 'com.microsoft'), int(2, 1)])] : []),
  ]);
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
