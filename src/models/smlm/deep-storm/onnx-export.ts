import type * as tf from '@tensorflow/tfjs';
import { OnnxExportError, tfjsToOnnx } from '../../runtime/onnx/tfjs-to-onnx';

export { OnnxExportError } from '../../runtime/onnx/tfjs-to-onnx';

/** The layers that make a network Deep-STORM (see architecture.ts). */
const REQUIRED_LAYERS = [...['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'].flatMap((s) => [`conv-${s}`, `bn-${s}`]), 'prediction'];

/**
 * The Deep-STORM network as ONNX (opset 13) through the project's one exporter (runtime/onnx/tfjs-to-onnx):
 * input `upsampled_frame` and output NHWC (N×H×W×1, symbolic N, H, W) like the tfjs model; batch norm is exported
 * as inference-mode BatchNormalization, which ONNX Runtime fuses into the convolution before it.
 */
export function exportDeepStormOnnx(model: tf.LayersModel): Uint8Array {
  const names = new Set(model.layers.map((l) => l.name));
  const missing = REQUIRED_LAYERS.filter((n) => !names.has(n));
  if (missing.length) throw new OnnxExportError(`model has no layer${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}: not a Deep-STORM network`);
  return tfjsToOnnx(model, 'deep_storm');
}
