/**
 * `npm run export:onnx -- <model folder|name> [...]`: writes the folder's TensorFlow.js network to ONNX again with
 * the project's exporter (for folders trained before the exporter changed), records the new file's sha256 in
 * rdf.yaml, and keeps the file only if ONNX Runtime reproduces the folder's test output within 1e-4 of its range.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { runScript, scriptOptions } from '../src/cli/run-script';
import { UsageError } from '../src/cli/usage-error';
import type { Nhwc } from '../src/models/runtime/inference-runtime';
import { OnnxRuntime } from '../src/models/runtime/onnx-runtime';
import { tfjsToOnnx } from '../src/models/runtime/onnx/tfjs-to-onnx';
import { initTfjsBackend } from '../src/models/runtime/tfjs-backend';
import { loadTfjsLayersModel, ONNX_FILE, openModelFolder } from '../src/models/store/model-folder';
import { ModelStore } from '../src/models/store/model-store';
import { RDF_FILE } from '../src/models/store/rdf';
import { readNpy } from '../src/models/zoo/npy';

const USAGE = 'npm run export:onnx -- <model folder|name> [...]';

async function reexport(name: string): Promise<void> {
  const folder = openModelFolder(new ModelStore().locate(name));
  const model = await loadTfjsLayersModel(folder);
  const graphName = model.name;
  const onnx = Buffer.from(tfjsToOnnx(model, graphName));
  model.dispose();
  const input = readNpy(readFileSync(join(folder.dir, folder.rdf.inputs[0].test_tensor!.source)));
  const expected = readNpy(readFileSync(join(folder.dir, folder.rdf.outputs[0].test_tensor!.source)));
  const runtime = await OnnxRuntime.create(onnx);
  const output = await runtime.predict(input.data, input.shape as unknown as Nhwc);
  await runtime.dispose();
  let range = 0;
  let worst = 0;
  const low = expected.data.reduce((m, v) => Math.min(m, v), Infinity);
  for (let i = 0; i < expected.data.length; i++) {
    range = Math.max(range, expected.data[i] - low);
    worst = Math.max(worst, Math.abs(output.data[i] - expected.data[i]));
  }
  if (!(worst <= 1e-4 * range))
    throw new Error(`${folder.dir}: the exported network misses the test output by ${worst} (range ${range}); nothing written`);
  const source = folder.rdf.weights.onnx?.source ?? ONNX_FILE;
  const rdfPath = join(folder.dir, RDF_FILE);
  const rdf = parseDocument(readFileSync(rdfPath, 'utf8'));
  rdf.setIn(['weights', 'onnx', 'source'], source);
  rdf.setIn(['weights', 'onnx', 'sha256'], createHash('sha256').update(onnx).digest('hex'));
  rdf.setIn(['weights', 'onnx', 'opset_version'], 13);
  writeFileSync(join(folder.dir, `${source}.tmp`), onnx);
  renameSync(join(folder.dir, `${source}.tmp`), join(folder.dir, source));
  writeFileSync(rdfPath, rdf.toString({ lineWidth: 110 }));
  openModelFolder(folder.dir);
  process.stdout.write(
    `${JSON.stringify({ folder: folder.dir, onnxBytes: onnx.length, maxAbsDiffVsTestOutput: worst, outputRange: range })}\n`,
  );
}

async function main(): Promise<void> {
  const names = scriptOptions('export:onnx', process.argv.slice(2), z.object({}), USAGE).positional;
  if (!names.length) throw new UsageError(`name at least one model folder; usage: ${USAGE}`);
  await initTfjsBackend();
  for (const name of names) await reexport(name);
}

runScript('export:onnx', main);
