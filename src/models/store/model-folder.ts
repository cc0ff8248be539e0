import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ModelFolderError } from './model-errors';
import { describeIssues, RDF_FILE, rdfSchema, type ModelDescription } from './rdf';

/**
 * A model folder: rdf.yaml, the tfjs layers model (model.json + weights.bin), optionally model.onnx. Writing
 * records every file's sha256 in rdf.yaml; opening checks them, so a truncated or swapped file is named.
 */

export const TFJS_TOPOLOGY_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';
export const ONNX_FILE = 'model.onnx';

export interface ModelFolder {
  readonly dir: string;
  readonly rdf: ModelDescription;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const topologySchema = z
  .object({
    modelTopology: z.record(z.string(), z.unknown()),
    weightsManifest: z.array(z.object({ paths: z.array(z.string()).min(1), weights: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.string() }).passthrough()) })).min(1),
  })
  .passthrough();

function readFile(dir: string, file: string): Buffer {
  const path = join(dir, file);
  if (!existsSync(path)) throw new ModelFolderError(dir, `${file} is missing`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ModelFolderError(dir, `${file} cannot be read (${(err as Error).message})`);
  }
}

function checkSum(dir: string, file: string, expected: string): Buffer {
  const bytes = readFile(dir, file);
  const actual = sha256(bytes);
  if (actual !== expected) throw new ModelFolderError(dir, `${file} does not match the sha256 in ${RDF_FILE} (has ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…): the file was altered or truncated`);
  return bytes;
}

/** Reads and validates rdf.yaml and the checksums of the files it lists. */
export function openModelFolder(dirPath: string): ModelFolder {
  const dir = resolve(dirPath);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelFolderError(dir, 'is not a folder');
  let raw: unknown;
  try {
    raw = parse(readFile(dir, RDF_FILE).toString('utf8'));
  } catch (err) {
    if (err instanceof ModelFolderError) throw err;
    throw new ModelFolderError(dir, `${RDF_FILE} is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = rdfSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFolderError(dir, `${RDF_FILE} is not a valid model description: ${describeIssues(parsed.error)}`);
  const rdf = parsed.data;
  if (rdf.weights.tensorflow_js) checkSum(dir, rdf.weights.tensorflow_js.source, rdf.weights.tensorflow_js.sha256);
  if (rdf.weights.onnx) checkSum(dir, rdf.weights.onnx.source, rdf.weights.onnx.sha256);
  for (const file of rdf.attachments ?? []) checkSum(dir, file.source, file.sha256);
  for (const tensor of [...rdf.inputs, ...rdf.outputs]) if (tensor.test_tensor) checkSum(dir, tensor.test_tensor.source, tensor.test_tensor.sha256);
  return { dir, rdf };
}

/** Loads the folder's tfjs layers model (on the current tfjs backend). */
export async function loadTfjsLayersModel(folder: ModelFolder): Promise<tf.LayersModel> {
  const { dir, rdf } = folder;
  if (!rdf.weights.tensorflow_js) throw new ModelFolderError(dir, `${RDF_FILE} lists no tensorflow_js weights`);
  const topologyFile = rdf.weights.tensorflow_js.source;
  let json: unknown;
  try {
    json = JSON.parse(readFile(dir, topologyFile).toString('utf8'));
  } catch (err) {
    if (err instanceof ModelFolderError) throw err;
    throw new ModelFolderError(dir, `${topologyFile} is not valid JSON`);
  }
  const topology = topologySchema.safeParse(json);
  if (!topology.success) throw new ModelFolderError(dir, `${topologyFile} is not a tfjs layers model: ${describeIssues(topology.error)}`);
  const { modelTopology, weightsManifest } = topology.data;
  const weightData = Buffer.concat(weightsManifest.flatMap((group) => group.paths.map((p) => readFile(dir, p))));
  const weightSpecs = weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[];
  const expectedBytes = weightSpecs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weightData.byteLength !== expectedBytes) {
    throw new ModelFolderError(dir, `weights hold ${weightData.byteLength} bytes, ${topologyFile} declares ${expectedBytes}`);
  }
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData: buffer }));
  } catch (err) {
    throw new ModelFolderError(dir, `the tfjs model does not load (${(err as Error).message})`);
  }
}

/** Serialises a layers model into topology JSON and one weights buffer. */
export async function tfjsArtifacts(model: tf.LayersModel): Promise<{ topology: Buffer; weights: Buffer }> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightData || !captured.weightSpecs) throw new Error('tfjs saved no weights');
  const data = captured.weightData;
  const weights = data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.concat(data.map((b) => Buffer.from(b)));
  const manifest = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: captured.modelTopology,
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: captured.weightSpecs }],
  };
  return { topology: Buffer.from(`${JSON.stringify(manifest)}\n`), weights };
}

export type DescriptionWithoutFiles = Omit<ModelDescription, 'weights' | 'attachments'> & { weights?: Partial<ModelDescription['weights']> };

/**
 * Writes a model folder: the tfjs model, any extra files (e.g. model.onnx, test tensors) and rdf.yaml with all
 * their checksums. Validates the description before writing anything.
 */
export async function writeModelFolder(
  dirPath: string,
  model: tf.LayersModel,
  description: DescriptionWithoutFiles,
  extraFiles: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer; readonly weights?: { readonly onnxOpset: number } }> = [],
): Promise<ModelFolder> {
  const dir = resolve(dirPath);
  const { topology, weights } = await tfjsArtifacts(model);
  const onnx = extraFiles.find((f) => f.weights);
  const rdf = {
    ...description,
    weights: {
      ...description.weights,
      tensorflow_js: { source: TFJS_TOPOLOGY_FILE, sha256: sha256(topology), tensorflow_version: tf.version_core },
      ...(onnx ? { onnx: { source: onnx.name, sha256: sha256(onnx.bytes), opset_version: onnx.weights!.onnxOpset } } : {}),
    },
    attachments: [{ source: TFJS_WEIGHTS_FILE, sha256: sha256(weights) }, ...extraFiles.filter((f) => !f.weights).map((f) => ({ source: f.name, sha256: sha256(f.bytes) }))],
  };
  const parsed = rdfSchema.safeParse(rdf);
  if (!parsed.success) throw new ModelFolderError(dir, `refusing to write an invalid description: ${describeIssues(parsed.error)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, TFJS_TOPOLOGY_FILE), topology);
  writeFileSync(join(dir, TFJS_WEIGHTS_FILE), weights);
  for (const file of extraFiles) writeFileSync(join(dir, file.name), file.bytes);
  writeDescriptionFile(dir, rdf);
  return { dir, rdf: parsed.data };
}

function writeDescriptionFile(dir: string, rdf: unknown): void {
  writeFileSync(join(dir, RDF_FILE), `# BioImage Model Zoo-style model description (spec 0.5); written by this project's model store.\n${stringify(rdf, { lineWidth: 110 })}`);
}

/** Rewrites an open folder's rdf.yaml with a changed description (its files, and so their checksums, untouched). */
export function rewriteModelDescription(folder: ModelFolder, rdf: ModelDescription): ModelFolder {
  const parsed = rdfSchema.safeParse(rdf);
  if (!parsed.success) throw new ModelFolderError(folder.dir, `refusing to write an invalid description: ${describeIssues(parsed.error)}`);
  writeDescriptionFile(folder.dir, parsed.data);
  return { dir: folder.dir, rdf: parsed.data };
}
