/**
 * Writes a shipped model's test tensors (test_input.npy, test_output.npy) and lists them in its rdf.yaml, comments
 * kept. The tensors are the network's own (NHWC float32): the input after pre-processing, the output before
 * post-processing, because our models' `scope.*` steps are not BioImage.IO operations. The output is TensorFlow.js'
 * (the weights were trained there). Run: node -r ts-node/register/transpile-only <this file> models/care-default 96
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { writeNpy } from '../../zoo/npy';
import { loadTfjsLayersModel, openModelFolder } from '../model-folder';
import { RDF_FILE } from '../rdf';

/** A deterministic image: blurred spots and lines on a background with seeded noise, roughly in [0, 1]. */
export function testImage(sidePx: number, seed = 2018): Float32Array {
  let state = seed >>> 0;
  const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const spots = Array.from({ length: Math.max(4, Math.round(sidePx / 6)) }, () => ({ x: random() * sidePx, y: random() * sidePx, a: 0.3 + 0.7 * random() }));
  return Float32Array.from({ length: sidePx * sidePx }, (_, i) => {
    const x = i % sidePx;
    const y = Math.floor(i / sidePx);
    let v = 0.05 + 0.1 * Math.exp(-(((x - y) / 3) ** 2));
    for (const s of spots) v += s.a * Math.exp(-((x - s.x) ** 2 + (y - s.y) ** 2) / 6);
    return v + 0.05 * (random() - 0.5);
  });
}

async function main(): Promise<void> {
  const [dir, side = '96'] = process.argv.slice(2);
  const sidePx = Number(side);
  await initTfjsBackend();
  const folder = openModelFolder(dir);
  const model = await loadTfjsLayersModel(folder);
  const input = testImage(sidePx);
  const output = tf.tidy(() => model.predict(tf.tensor4d(input, [1, sidePx, sidePx, 1])) as tf.Tensor4D);
  const outData = (await output.data()) as Float32Array;
  const files = { test_input: writeNpy(input, [1, sidePx, sidePx, 1]), test_output: writeNpy(outData, output.shape) };
  output.dispose();
  model.dispose();
  const doc = parseDocument(readFileSync(join(folder.dir, RDF_FILE), 'utf8'));
  for (const [key, bytes] of Object.entries(files)) {
    writeFileSync(join(folder.dir, `${key}.npy`), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    doc.setIn([key === 'test_input' ? 'inputs' : 'outputs', 0, 'test_tensor'], doc.createNode({ source: `${key}.npy`, sha256 }));
  }
  doc.setIn(
    ['config', 'scope', 'test_tensors'],
    'network level, NHWC float32: test_input.npy is the input after pre-processing, test_output.npy the output before post-processing (TensorFlow.js); both weight formats must reproduce it',
  );
  writeFileSync(join(folder.dir, RDF_FILE), doc.toString({ lineWidth: 110 }));
  openModelFolder(folder.dir);
  process.stdout.write(`${JSON.stringify({ dir: folder.dir, input: [1, sidePx, sidePx, 1], output: Array.from(output.shape) })}\n`);
}

if (require.main === module) void main();
