import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';

/**
 * An ONNX graph as plain data, and its encoding as ONNX's ModelProto. The wire format is protobufjs's work, on
 * ONNX's own schema (schema/onnx.proto3, v1.22.0); this file only maps our graph onto the schema's messages.
 */

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

/** IR version 7 (ONNX 1.7): what opset 13 needs; every ONNX Runtime since 1.6 reads it. */
export const ONNX_IR_VERSION = 7;

// beside this file when run from source; the build copies schema/ next to the compiled file too (nest-cli.json)
const SCHEMA_FILE = ['schema', join('..', '..', '..', '..', '..', 'src', 'models', 'runtime', 'onnx', 'schema')]
  .map((dir) => join(__dirname, dir, 'onnx.proto3'))
  .find((file) => existsSync(file));

let schema: protobuf.Root | undefined;

function onnxSchema(): protobuf.Root {
  if (!schema) {
    if (!SCHEMA_FILE) throw new Error(`ONNX schema onnx.proto3 not found beside ${__dirname}`);
    schema = protobuf.loadSync(SCHEMA_FILE);
  }
  return schema;
}

/** ONNX's ModelProto message type, read from the schema once. */
export function onnxModelProto(): protobuf.Type {
  return onnxSchema().lookupType('onnx.ModelProto');
}

/** TensorProto.DataType, which tensors and tensor types carry as a plain int32. */
export function onnxDataType(name: string): number;
export function onnxDataType(code: number): string;
export function onnxDataType(nameOrCode: string | number): number | string {
  const dataType = onnxSchema().lookupEnum('onnx.TensorProto.DataType');
  const found = typeof nameOrCode === 'string' ? dataType.values[nameOrCode] : dataType.valuesById[nameOrCode];
  if (found === undefined) throw new Error(`ONNX has no data type ${nameOrCode}`);
  return found;
}

function attribute(name: string, value: OnnxAttribute): Record<string, unknown> {
  if (typeof value === 'string') return { name, type: 'STRING', s: Buffer.from(value, 'utf8') };
  if (typeof value === 'number') return Number.isInteger(value) ? { name, type: 'INT', i: value } : { name, type: 'FLOAT', f: value };
  if ('float' in value) return { name, type: 'FLOAT', f: value.float };
  if ('floats' in value) return { name, type: 'FLOATS', floats: [...value.floats] };
  const numbers = value as readonly number[];
  return numbers.every(Number.isInteger) ? { name, type: 'INTS', ints: [...numbers] } : { name, type: 'FLOATS', floats: [...numbers] };
}

function valueInfo(name: string, shape: ReadonlyArray<number | string>): Record<string, unknown> {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: onnxDataType('FLOAT'), shape: { dim } } } };
}

function tensor(t: OnnxTensor): Record<string, unknown> {
  const raw = Buffer.alloc(t.data.length * 4);
  t.data.forEach((v, i) => raw.writeFloatLE(v, i * 4));
  return { name: t.name, dims: [...t.dims], dataType: onnxDataType('FLOAT'), rawData: raw };
}

/** Encodes the graph as an ONNX model (IR version 7, default domain at `opset`). */
export function encodeOnnx(graph: OnnxGraph, opset = 13, producer = 'scope-controller'): Uint8Array {
  const type = onnxModelProto();
  const model = type.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: producer,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: graph.name,
      node: graph.nodes.map((node, i) => ({
        input: [...node.inputs],
        output: [...node.outputs],
        name: `${node.op}_${i}`,
        opType: node.op,
        attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attribute(name, value)),
      })),
      initializer: graph.initializers.map(tensor),
      input: graph.inputs.map((i) => valueInfo(i.name, i.shape)),
      output: graph.outputs.map((o) => valueInfo(o.name, o.shape)),
    },
  });
  return type.encode(model).finish();
}

/** An ONNX file as the schema's plain object (enums as names, data types as codes, int64 as numbers, bytes as Buffers). */
export function decodeOnnx(bytes: Uint8Array): OnnxModelObject {
  const type = onnxModelProto();
  return type.toObject(type.decode(bytes), { enums: String, longs: Number, bytes: Buffer, defaults: false }) as OnnxModelObject;
}

/** The parts of a decoded ModelProto this project reads. */
export interface OnnxModelObject {
  readonly irVersion?: number;
  readonly producerName?: string;
  readonly opsetImport?: ReadonlyArray<{ readonly domain?: string; readonly version?: number }>;
  readonly graph?: {
    readonly name?: string;
    readonly node?: ReadonlyArray<{ readonly opType?: string; readonly input?: readonly string[]; readonly output?: readonly string[]; readonly domain?: string }>;
    readonly initializer?: ReadonlyArray<{ readonly name?: string; readonly dims?: readonly number[]; readonly dataType?: number; readonly rawData?: Buffer }>;
    readonly input?: ReadonlyArray<OnnxValueInfoObject>;
    readonly output?: ReadonlyArray<OnnxValueInfoObject>;
  };
}

export interface OnnxValueInfoObject {
  readonly name?: string;
  readonly type?: { readonly tensorType?: { readonly elemType?: number; readonly shape?: { readonly dim?: ReadonlyArray<{ readonly dimValue?: number; readonly dimParam?: string }> } } };
}
