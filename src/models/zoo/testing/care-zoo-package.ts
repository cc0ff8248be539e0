/**
 * A Zoo package (spec 0.5) around a small random CARE network exported by our exporter: NHWC axes (b, y, x, c),
 * sizes min 4 step 4 (so it takes many sizes), output halo 24 (beyond its receptive field), scale_range
 * pre-processing. Its test tensors are what ZooModel predicts for a 64² image. Needs tfjs and ONNX Runtime.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildCareNetwork } from '../../care/care-network';
import { TINY_CARE_CONFIG } from '../../care/testing/tiny-care';
import { tfjsToOnnx } from '../../runtime/onnx/tfjs-to-onnx';
import { writeNpy } from '../npy';
import { ZooModel } from '../zoo-model';
import { sha256Of, tempDir } from './zoo-packages';

export function ramp(widthPx: number, heightPx: number): Float32Array {
  return Float32Array.from({ length: widthPx * heightPx }, (_, i) => {
    const x = i % widthPx;
    const y = Math.floor(i / widthPx);
    return 100 + 50 * Math.sin(x / 7) * Math.cos(y / 11) + 20 * Math.exp(-((x - 30) ** 2 + (y - 40) ** 2) / 50) + ((i * 7919) % 13);
  });
}

export async function carePackage(perturbTestOutput = false): Promise<string> {
  await tf.setBackend('cpu');
  const network = buildCareNetwork(TINY_CARE_CONFIG, 5);
  const dir = tempDir('zoo-care');
  writeFileSync(join(dir, 'model.onnx'), tfjsToOnnx(network));
  network.dispose();
  const space = (id: string) => ({ type: 'space', id, size: { min: 4, step: 4 } });
  const outSpace = (id: string) => ({ type: 'space', id, size: { tensor_id: 'raw', axis_id: id }, halo: 24 });
  const rdf = (testSha: { input: string; output: string }) => ({
    format_version: '0.5.4',
    type: 'model',
    name: 'tiny CARE as a Zoo package',
    inputs: [
      {
        id: 'raw',
        axes: [{ type: 'batch' }, space('y'), space('x'), { type: 'channel', channel_names: ['raw'] }],
        test_tensor: { source: 'test_input.npy', sha256: testSha.input },
        preprocessing: [{ id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 } }],
      },
    ],
    outputs: [
      {
        id: 'restored',
        axes: [{ type: 'batch' }, outSpace('y'), outSpace('x'), { type: 'channel', channel_names: ['restored', 'scale'] }],
        test_tensor: { source: 'test_output.npy', sha256: testSha.output },
      },
    ],
    weights: { onnx: { source: 'model.onnx', sha256: sha256Of(join(dir, 'model.onnx')), opset_version: 13 } },
  });
  const side = 64;
  const input = ramp(side, side);
  writeFileSync(join(dir, 'test_input.npy'), writeNpy(input, [1, side, side, 1]));
  writeFileSync(join(dir, 'test_output.npy'), writeNpy(new Float32Array(side * side * 2), [1, side, side, 2]));
  const write = () => writeFileSync(join(dir, 'bioimageio.yaml'), stringify(rdf({ input: sha256Of(join(dir, 'test_input.npy')), output: sha256Of(join(dir, 'test_output.npy')) })));
  write();
  const model = await ZooModel.open(dir, { checkReproduction: false, threads: 1 });
  const out = (await model.predictImage(input, side, side)).outputs[0].planes;
  await model.dispose();
  // Channel-first planes → NHWC.
  const nhwc = new Float32Array(out.data.length);
  const n = side * side;
  for (let i = 0; i < n; i++) for (let c = 0; c < out.channels; c++) nhwc[i * out.channels + c] = out.data[c * n + i] + (perturbTestOutput ? 0.01 : 0);
  writeFileSync(join(dir, 'test_output.npy'), writeNpy(nhwc, [1, side, side, out.channels]));
  write();
  return dir;
}
