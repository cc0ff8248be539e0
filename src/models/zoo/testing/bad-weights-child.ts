/**
 * Child script for zoo-bad-weights.spec (ONNX Runtime does not run inside Jest's sandbox): the tiny CARE Zoo
 * package with its weights replaced (checksums updated, so only the weights themselves are wrong) by garbage, by a
 * graph with an operator no runtime has, and by a graph whose output holds NaN; one JSON line of what happened.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, of, toArray } from 'rxjs';
import { parseDocument } from 'yaml';
import type { Frame } from '../../../acquisition/frame';
import { encodeOnnx, type OnnxNode } from '../../runtime/onnx/onnx-model';
import { inThreadPredictor } from '../frame-predictor';
import { zooBranch } from '../zoo-branch';
import { ZooModel } from '../zoo-model';
import { carePackage, ramp } from './care-zoo-package';
import { removeTempDirs, sha256Of, tempDir } from './zoo-packages';

function withWeights(source: string, weights: Uint8Array): string {
  const dir = tempDir('zoo-bad-weights');
  cpSync(source, dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), weights);
  const rdf = parseDocument(readFileSync(join(dir, 'bioimageio.yaml'), 'utf8'));
  rdf.setIn(['weights', 'onnx', 'sha256'], sha256Of(join(dir, 'model.onnx')));
  writeFileSync(join(dir, 'bioimageio.yaml'), rdf.toString());
  return dir;
}

/** NHWC in, two channels out, like the tiny CARE network: `nodes` map `raw` to `one`, duplicated into `output`. */
function graph(nodes: OnnxNode[]): Uint8Array {
  return encodeOnnx({
    name: 'bad',
    nodes: [...nodes, { op: 'Concat', inputs: ['one', 'one'], outputs: ['output'], attributes: { axis: 3 } }],
    initializers: [],
    inputs: [{ name: 'raw', shape: ['N', 'H', 'W', 1] }],
    outputs: [{ name: 'output', shape: ['N', 'H', 'W', 2] }],
  });
}

const errorOf = async (run: () => Promise<unknown>) => {
  try {
    await run();
    return null;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
};

async function main(): Promise<void> {
  const good = await carePackage();
  const garbageDir = withWeights(good, Buffer.from('this is not an ONNX file, whatever its checksum says'.repeat(20)));
  const garbage = await errorOf(() => ZooModel.open(garbageDir, { threads: 1 }));
  const unknownOpDir = withWeights(good, graph([{ op: 'NoSuchOperator', inputs: ['raw'], outputs: ['one'] }]));
  const unknownOp = await errorOf(() => ZooModel.open(unknownOpDir, { threads: 1 }));

  // sqrt of the range-scaled input: NaN where it is below the 1st percentile
  const nanDir = withWeights(good, graph([{ op: 'Sqrt', inputs: ['raw'], outputs: ['one'] }]));
  const refusedOnLoad = await errorOf(() => ZooModel.open(nanDir, { threads: 1 }));
  const model = await ZooModel.open(nanDir, { threads: 1, checkReproduction: false });
  const side = 64;
  const prediction = await model.predictImage(ramp(side, side), side, side);
  const frame: Frame = { pixels: Uint16Array.from(ramp(side, side)), meta: { acquisitionId: 'nan', sequence: 0, index: { t: 0 }, width: side, height: side, bitDepth: 16, pixelSizeUm: 0.1, exposureMs: 10, stage: {}, camera: 'sim', wallTimeMs: Date.now() } };
  const [branched] = await lastValueFrom(of(frame).pipe(zooBranch(inThreadPredictor(model), { kind: 'drop-oldest', capacity: 1 }), toArray()));
  await model.dispose();
  removeTempDirs();
  process.stdout.write(
    `${JSON.stringify({
      garbage: { ...garbage, folder: garbageDir },
      unknownOp: { ...unknownOp, folder: unknownOpDir },
      nan: { refusedOnLoad, nonFiniteCount: prediction.nonFiniteCount, pixels: side * side * 2, flagged: branched.quality.flagged, branchNonFinite: branched.quality.nonFiniteCount },
    })}\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
