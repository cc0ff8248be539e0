import type * as tf from '@tensorflow/tfjs';
import { encodeOnnxModel, type OnnxInitializer, type OnnxNode } from '../onnx/onnx-builder';

export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
}

const STAGES = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'] as const;
/** What follows each stage: pooling after the encoder, upsampling after the bottleneck and first decoder stages. */
const AFTER: Record<(typeof STAGES)[number], 'pool' | 'up' | 'none'> = { F1: 'pool', F2: 'pool', F3: 'pool', F4: 'up', F5: 'up', F6: 'up', F7: 'none' };

/** tfjs kernel [kh, kw, in, out] → ONNX [out, in, kh, kw], each output channel scaled. */
function toOihw(kernel: Float32Array, shape: readonly number[], scale?: Float32Array): Float32Array {
  const [kh, kw, cin, cout] = shape;
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o] * (scale ? scale[o] : 1);
        }
      }
    }
  }
  return out;
}

function weightsOf(model: tf.LayersModel, name: string): { values: Float32Array[]; shapes: number[][]; config: Record<string, unknown> } {
  let layer: tf.layers.Layer;
  try {
    layer = model.getLayer(name);
  } catch {
    throw new OnnxExportError(`model has no layer '${name}': not a Deep-STORM network`);
  }
  const weights = layer.getWeights();
  return { values: weights.map((w) => w.dataSync() as Float32Array), shapes: weights.map((w) => w.shape), config: layer.getConfig() as Record<string, unknown> };
}

/**
 * The Deep-STORM network as an ONNX graph (opset 13) with batch norm folded into the convolutions, for ONNX
 * Runtime. Input `upsampled_frame` and output `density` are NHWC (N×H×W×1, symbolic N, H, W) like the tfjs
 * model; the graph transposes to NCHW inside, which for one channel is a cheap copy.
 */
export function exportDeepStormOnnx(model: tf.LayersModel): Uint8Array {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  nodes.push({ opType: 'Transpose', inputs: ['upsampled_frame'], outputs: ['input_nchw'], attributes: { perm: [0, 3, 1, 2] } });
  let current = 'input_nchw';
  initializers.push({ name: 'up_scales', dims: [4], data: Float32Array.from([1, 1, 2, 2]) });
  for (const stage of STAGES) {
    const conv = weightsOf(model, `conv-${stage}`);
    const bn = weightsOf(model, `bn-${stage}`);
    const [gamma, beta, mean, variance] = bn.values;
    const epsilon = Number(bn.config.epsilon ?? 1e-3);
    const cout = conv.shapes[0][3];
    const scale = new Float32Array(cout);
    const bias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      scale[o] = gamma[o] / Math.sqrt(variance[o] + epsilon);
      bias[o] = beta[o] - mean[o] * scale[o];
    }
    const [kh, kw, cin] = conv.shapes[0];
    initializers.push({ name: `${stage}_W`, dims: [cout, cin, kh, kw], data: toOihw(conv.values[0], conv.shapes[0], scale) });
    initializers.push({ name: `${stage}_B`, dims: [cout], data: bias });
    const pad = (kh - 1) / 2;
    nodes.push({ opType: 'Conv', inputs: [current, `${stage}_W`, `${stage}_B`], outputs: [`${stage}_conv`], attributes: { kernel_shape: [kh, kw], pads: [pad, pad, pad, pad], strides: [1, 1] } });
    nodes.push({ opType: 'Relu', inputs: [`${stage}_conv`], outputs: [`${stage}_relu`] });
    current = `${stage}_relu`;
    if (AFTER[stage] === 'pool') {
      nodes.push({ opType: 'MaxPool', inputs: [current], outputs: [`${stage}_pool`], attributes: { kernel_shape: [2, 2], strides: [2, 2] } });
      current = `${stage}_pool`;
    } else if (AFTER[stage] === 'up') {
      nodes.push({
        opType: 'Resize',
        inputs: [current, '', 'up_scales'],
        outputs: [`${stage}_up`],
        attributes: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
      });
      current = `${stage}_up`;
    }
  }
  const head = weightsOf(model, 'prediction');
  initializers.push({ name: 'prediction_W', dims: [1, head.shapes[0][2], 1, 1], data: toOihw(head.values[0], head.shapes[0]) });
  nodes.push({ opType: 'Conv', inputs: [current, 'prediction_W'], outputs: ['density_nchw'], attributes: { kernel_shape: [1, 1] } });
  nodes.push({ opType: 'Transpose', inputs: ['density_nchw'], outputs: ['density'], attributes: { perm: [0, 2, 3, 1] } });
  return encodeOnnxModel({
    name: 'deep_storm',
    nodes,
    initializers,
    inputs: [{ name: 'upsampled_frame', shape: ['N', 'H', 'W', 1] }],
    outputs: [{ name: 'density', shape: ['N', 'H', 'W', 1] }],
  });
}
