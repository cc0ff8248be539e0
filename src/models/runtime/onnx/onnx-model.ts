import { ProtoWriter } from './protobuf-writer';

/** An ONNX graph as plain data, and its encoding as a ModelProto (field numbers from onnx.proto). */

/** Integers become INT/INTS, other numbers FLOAT, strings STRING; `{ float }` / `{ floats }` force FLOAT/FLOATS. */
export type OnnxAttribute = number | string | readonly number[] | { readonly float: number } | { readonly floats: readonly number[] };

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  /** Float tensors; string dimensions are symbolic. */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly shape: ReadonlyArray<number | string> }>;
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly shape: ReadonlyArray<number | string> }>;
}

const FLOAT = 1;
const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

function attribute(name: string, value: OnnxAttribute): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === 'string') return a.bytes(4, new TextEncoder().encode(value)).int(20, ATTRIBUTE_TYPE.STRING);
  if (typeof value === 'number') return Number.isInteger(value) ? a.int(3, value).int(20, ATTRIBUTE_TYPE.INT) : a.float(2, value).int(20, ATTRIBUTE_TYPE.FLOAT);
  if ('float' in value) return a.float(2, value.float).int(20, ATTRIBUTE_TYPE.FLOAT);
  if ('floats' in value) {
    for (const v of value.floats) a.float(7, v);
    return a.int(20, ATTRIBUTE_TYPE.FLOATS);
  }
  const ints = value as readonly number[];
  if (!ints.every(Number.isInteger)) {
    for (const v of ints) a.float(7, v);
    return a.int(20, ATTRIBUTE_TYPE.FLOATS);
  }
  for (const v of ints) a.int(8, v);
  return a.int(20, ATTRIBUTE_TYPE.INTS);
}

function valueInfo(name: string, shape: ReadonlyArray<number | string>): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) dims.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, new ProtoWriter().int(1, FLOAT).message(2, dims)));
}

function tensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return w.int(2, FLOAT).string(8, t.name).bytes(9, raw);
}

/** Encodes the graph as an ONNX model (IR version 7, default domain at `opset`). */
export function encodeOnnx(graph: OnnxGraph, opset = 13, producer = 'scope-controller'): Uint8Array {
  const g = new ProtoWriter();
  graph.nodes.forEach((node, i) => {
    const n = new ProtoWriter();
    for (const input of node.inputs) n.string(1, input);
    for (const output of node.outputs) n.string(2, output);
    n.string(3, `${node.op}_${i}`).string(4, node.op);
    for (const [name, value] of Object.entries(node.attributes ?? {})) n.message(5, attribute(name, value));
    g.message(1, n);
  });
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, tensor(t));
  for (const i of graph.inputs) g.message(11, valueInfo(i.name, i.shape));
  for (const o of graph.outputs) g.message(12, valueInfo(o.name, o.shape));
  return new ProtoWriter().int(1, 7).string(2, producer).message(7, g).message(8, new ProtoWriter().string(1, '').int(2, opset)).finish();
}
