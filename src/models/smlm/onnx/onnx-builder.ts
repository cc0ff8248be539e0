import { ProtoMessage } from './protobuf-writer';

/** Field numbers and enums of onnx.proto used here. */
const TENSOR_FLOAT = 1;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export type AttributeValue = number | string | readonly number[] | { readonly floats: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Integers are written as INT/INTS; `{ floats }` and non-integers as FLOAT/FLOATS. */
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** A tensor's shape: numbers for fixed dimensions, strings for symbolic ones. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly shape: ReadonlyArray<number | string>;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

function attribute(name: string, value: AttributeValue): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  if (typeof value === 'string') return m.bytes(4, new TextEncoder().encode(value)).int(20, ATTR.STRING);
  if (typeof value === 'number') return Number.isInteger(value) ? m.int(3, value).int(20, ATTR.INT) : m.float(2, value).int(20, ATTR.FLOAT);
  if ('floats' in value) {
    for (const v of value.floats) m.float(7, v);
    return m.int(20, ATTR.FLOATS);
  }
  const list = value as readonly number[];
  if (list.every(Number.isInteger)) {
    for (const v of list) m.int(8, v);
    return m.int(20, ATTR.INTS);
  }
  for (const v of list) m.float(7, v);
  return m.int(20, ATTR.FLOATS);
}

function valueInfo(info: OnnxValueInfo): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of info.shape) shape.message(1, typeof d === 'number' ? new ProtoMessage().int(1, d) : new ProtoMessage().string(2, d));
  const tensorType = new ProtoMessage().int(1, TENSOR_FLOAT).message(2, shape);
  return new ProtoMessage().string(1, info.name).message(2, new ProtoMessage().message(1, tensorType));
}

function initializer(init: OnnxInitializer): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of init.dims) m.int(1, d);
  m.int(2, TENSOR_FLOAT).string(8, init.name);
  const raw = new Uint8Array(init.data.length * 4);
  const view = new DataView(raw.buffer);
  init.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return m.bytes(9, raw);
}

/** Serialises a graph as an ONNX ModelProto (IR version 7, default opset 13). */
export function encodeOnnxModel(graph: OnnxGraph, producer = 'scope-controller', opset = 13): Uint8Array {
  const g = new ProtoMessage();
  graph.nodes.forEach((n, i) => {
    const node = new ProtoMessage();
    for (const input of n.inputs) node.string(1, input);
    for (const output of n.outputs) node.string(2, output);
    node.string(3, n.name ?? `${n.opType}_${i}`).string(4, n.opType);
    for (const [name, value] of Object.entries(n.attributes ?? {})) node.message(5, attribute(name, value));
    g.message(1, node);
  });
  g.string(2, graph.name);
  for (const init of graph.initializers) g.message(5, initializer(init));
  for (const input of graph.inputs) g.message(11, valueInfo(input));
  for (const output of graph.outputs) g.message(12, valueInfo(output));
  return new ProtoMessage()
    .int(1, 7)
    .string(2, producer)
    .message(7, g)
    .message(8, new ProtoMessage().string(1, '').int(2, opset))
    .encode();
}
