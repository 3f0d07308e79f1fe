/**
 * Half-precision copies of a graph, as the `_fp16` and `_q4f16` exports are made: every float weight
 * and every computation in float16, while the graph's inputs and outputs stay float32 (the quantize
 * script converts with `keep_io_types`), joined by Cast nodes at the edges.
 */
import type { AttributeValue, Graph, Node, Tensor, ValueInfo } from '../onnx/graph';
import { toFloat16Bits } from '../onnx/graph';

const FLOAT = 1;
const FLOAT16 = 10;

function halfTensor(tensor: Tensor): Tensor {
  if (tensor.type !== 'float') return tensor;
  const floats = new Float32Array(tensor.raw.buffer, tensor.raw.byteOffset, tensor.raw.byteLength / 4);
  const halves = new Uint16Array(floats.length);
  for (let i = 0; i < floats.length; i++) halves[i] = toFloat16Bits(floats[i] ?? 0);
  return { ...tensor, type: 'float16', raw: new Uint8Array(halves.buffer) };
}

const halfValueInfo = (info: ValueInfo): ValueInfo => (info.type === 'float' ? { ...info, type: 'float16' } : info);

/** One graph (or If branch) with its values renamed and its float types halved. */
function convert(graph: Graph, rename: ReadonlyMap<string, string>): Graph {
  const renamed = (name: string) => rename.get(name) ?? name;
  const nodes = graph.nodes.map((node): Node => {
    const attributes: Record<string, AttributeValue> = {};
    for (const [key, value] of Object.entries(node.attributes ?? {})) {
      if ('graph' in value) attributes[key] = { graph: convert(value.graph, rename) };
      else if (node.op === 'Cast' && key === 'to' && 'int' in value && value.int === FLOAT)
        attributes[key] = { int: FLOAT16 };
      else attributes[key] = value;
    }
    return {
      ...node,
      inputs: node.inputs.map(renamed),
      outputs: node.outputs.map(renamed),
      ...(node.attributes ? { attributes } : {}),
    };
  });
  return {
    ...graph,
    nodes,
    initializers: graph.initializers.map(halfTensor),
    outputs: graph.outputs.map((info) => ({ ...halfValueInfo(info), name: renamed(info.name) })),
  };
}

export function toFloat16Graph(graph: Graph): Graph {
  const rename = new Map<string, string>();
  const entryCasts: Node[] = [];
  const exitCasts: Node[] = [];
  for (const input of graph.inputs) {
    if (input.type !== 'float') continue;
    rename.set(input.name, `${input.name}_fp16`);
    entryCasts.push({
      op: 'Cast',
      inputs: [input.name],
      outputs: [`${input.name}_fp16`],
      attributes: { to: { int: FLOAT16 } },
    });
  }
  for (const output of graph.outputs) {
    if (output.type !== 'float') continue;
    rename.set(output.name, `${output.name}_fp16`);
    exitCasts.push({
      op: 'Cast',
      inputs: [`${output.name}_fp16`],
      outputs: [output.name],
      attributes: { to: { int: FLOAT } },
    });
  }
  const inner = convert({ ...graph, outputs: [] }, rename);
  return {
    ...graph,
    initializers: inner.initializers,
    // The entry casts read the float32 inputs by their real names, so they are added after renaming.
    nodes: [...entryCasts, ...inner.nodes, ...exitCasts],
  };
}
