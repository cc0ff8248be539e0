import type * as tf from '@tensorflow/tfjs';
import { encodeOnnx, type OnnxNode, type OnnxTensor } from './onnx-model';

/**
 * Exports a tfjs layers model to ONNX (opset 13) by walking its Keras-style configuration: InputLayer, Conv2D
 * ('same' padding with odd kernels or 1×1; relu, softplus, sigmoid or linear activation), MaxPooling2D and
 * AveragePooling2D ('valid', or 'same' at stride 1),
 * UpSampling2D (nearest), Concatenate, Add, Activation, BatchNormalization (inference; ONNX Runtime fuses it into
 * the convolution before it), and Dense on feature vectors (N × features). The ONNX graph keeps the tfjs interface:
 * images NHWC with symbolic batch, height and width, transposed to ONNX's NCHW inside; feature vectors with a
 * symbolic batch. Other layers are refused by name, before anything is written.
 * This is the project's one exporter: CARE, Deep-STORM and any later network go through it.
 */

export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
}

interface LayerConfig {
  readonly name: string;
  readonly className: string;
  readonly config: Record<string, unknown>;
  readonly inboundNodes: ReadonlyArray<ReadonlyArray<readonly [string, number, number, unknown]>>;
}

const ACTIVATIONS: Record<string, string | null> = { linear: null, relu: 'Relu', softplus: 'Softplus', sigmoid: 'Sigmoid' };

/** tfjs kernel [kh, kw, in, out] → ONNX [out, in, kh, kw]. */
function toOihw(kernel: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o];
  return out;
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);

/**
 * MaxPool / AveragePool attributes for a tfjs pooling layer: 'valid', or 'same' at stride 1, whose padding (k − 1
 * in all, the odd one after, as TensorFlow places it) does not depend on the frame size. tfjs averages over the
 * valid pixels only, which is ONNX's count_include_pad = 0.
 */
function poolAttributes(layer: LayerConfig): Record<string, number | number[]> {
  const c = layer.config;
  const [ph, pw] = pair(c.poolSize);
  const [sh, sw] = pair(c.strides ?? c.poolSize);
  const attributes: Record<string, number | number[]> = { kernel_shape: [ph, pw], strides: [sh, sw] };
  if (layer.className === 'AveragePooling2D') attributes.count_include_pad = 0;
  if (c.padding === 'valid') return attributes;
  if (c.padding !== 'same' || sh !== 1 || sw !== 1) {
    throw new OnnxExportError(`${layer.className} ${layer.name}: only 'valid' padding, or 'same' at stride 1, is exported`);
  }
  const before = [Math.floor((ph - 1) / 2), Math.floor((pw - 1) / 2)];
  return { ...attributes, pads: [before[0], before[1], ph - 1 - before[0], pw - 1 - before[1]] };
}

export function tfjsToOnnx(model: tf.LayersModel, graphName = model.name): Uint8Array {
  const config = model.getConfig() as unknown as { layers: LayerConfig[]; inputLayers: Array<[string, number, number]>; outputLayers: Array<[string, number, number]> };
  if (config.inputLayers.length !== 1 || config.outputLayers.length !== 1) throw new OnnxExportError('only models with one input and one output are exported');
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const tensorOf = new Map<string, string>();
  const inputsOf = (layer: LayerConfig) => {
    if (layer.inboundNodes.length !== 1) throw new OnnxExportError(`layer ${layer.name} is used ${layer.inboundNodes.length} times; shared layers are not exported`);
    return layer.inboundNodes[0].map(([name]) => {
      const t = tensorOf.get(name);
      if (!t) throw new OnnxExportError(`layer ${layer.name} reads ${name}, which comes later`);
      return t;
    });
  };
  const channelsOf = (layer: LayerConfig) => model.getLayer(layer.name).outputShape as number[];
  const inputRank = (model.inputs[0].shape as Array<number | null>).length;
  if (inputRank !== 4 && inputRank !== 2) throw new OnnxExportError(`input of rank ${inputRank}: only images (N, H, W, C) and feature vectors (N, F) are exported`);
  for (const layer of config.layers) {
    const c = layer.config;
    const out = `${layer.name}:0`;
    switch (layer.className) {
      case 'InputLayer': {
        if (inputRank === 4) nodes.push({ op: 'Transpose', inputs: [layer.name], outputs: [out], attributes: { perm: [0, 3, 1, 2] } });
        else nodes.push({ op: 'Identity', inputs: [layer.name], outputs: [out] });
        break;
      }
      case 'Dense': {
        if (channelsOf(layer).length !== 2) throw new OnnxExportError(`Dense ${layer.name}: only Dense on feature vectors (N, F) is exported`);
        const weights = model.getLayer(layer.name).getWeights();
        const [fin, fout] = weights[0].shape as [number, number];
        initializers.push({ name: `${layer.name}.W`, dims: [fin, fout], data: Float32Array.from(weights[0].dataSync()) });
        const bias = weights[1] ? Float32Array.from(weights[1].dataSync()) : new Float32Array(fout);
        initializers.push({ name: `${layer.name}.B`, dims: [fout], data: bias });
        const activation = ACTIVATIONS[String(c.activation ?? 'linear')];
        if (activation === undefined) throw new OnnxExportError(`Dense ${layer.name}: activation ${String(c.activation)} is not exported`);
        const gemmOut = activation ? `${layer.name}:gemm` : out;
        nodes.push({ op: 'Gemm', inputs: [...inputsOf(layer), `${layer.name}.W`, `${layer.name}.B`], outputs: [gemmOut] });
        if (activation) nodes.push({ op: activation, inputs: [gemmOut], outputs: [out] });
        break;
      }
      case 'Conv2D': {
        const [kh, kw] = pair(c.kernelSize);
        const [sh, sw] = pair(c.strides);
        const [dh, dw] = pair(c.dilationRate);
        if (sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || (c.padding === 'same' && (kh % 2 === 0 || kw % 2 === 0))) {
          throw new OnnxExportError(`Conv2D ${layer.name}: only stride 1, dilation 1 and odd kernels are exported`);
        }
        const weights = model.getLayer(layer.name).getWeights();
        const kernel = weights[0];
        const [, , cin, cout] = kernel.shape as [number, number, number, number];
        initializers.push({ name: `${layer.name}.W`, dims: [cout, cin, kh, kw], data: toOihw(kernel.dataSync() as Float32Array, [kh, kw, cin, cout]) });
        const inputs = [...inputsOf(layer), `${layer.name}.W`];
        if (weights[1]) {
          initializers.push({ name: `${layer.name}.B`, dims: [weights[1].shape[0]], data: Float32Array.from(weights[1].dataSync()) });
          inputs.push(`${layer.name}.B`);
        }
        const padding = c.padding === 'same' ? [(kh - 1) / 2, (kw - 1) / 2, (kh - 1) / 2, (kw - 1) / 2] : [0, 0, 0, 0];
        const activation = ACTIVATIONS[String(c.activation ?? 'linear')];
        if (activation === undefined) throw new OnnxExportError(`Conv2D ${layer.name}: activation ${String(c.activation)} is not exported`);
        const convOut = activation ? `${layer.name}:conv` : out;
        nodes.push({ op: 'Conv', inputs, outputs: [convOut], attributes: { kernel_shape: [kh, kw], pads: padding, strides: [1, 1] } });
        if (activation) nodes.push({ op: activation, inputs: [convOut], outputs: [out] });
        break;
      }
      case 'Activation': {
        const activation = ACTIVATIONS[String(c.activation)];
        if (activation === undefined) throw new OnnxExportError(`Activation ${layer.name}: ${String(c.activation)} is not exported`);
        nodes.push(activation ? { op: activation, inputs: inputsOf(layer), outputs: [out] } : { op: 'Identity', inputs: inputsOf(layer), outputs: [out] });
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const op = layer.className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
        nodes.push({ op, inputs: inputsOf(layer), outputs: [out], attributes: poolAttributes(layer) });
        break;
      }
      case 'UpSampling2D': {
        const [uh, uw] = pair(c.size);
        const scales = `${layer.name}.scales`;
        initializers.push({ name: scales, dims: [4], data: Float32Array.from([1, 1, uh, uw]) });
        nodes.push({ op: 'Resize', inputs: [...inputsOf(layer), '', scales], outputs: [out], attributes: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' } });
        break;
      }
      case 'Concatenate': {
        const rank = channelsOf(layer).length;
        const axis = Number(c.axis ?? -1);
        if (axis !== -1 && axis !== rank - 1) throw new OnnxExportError(`Concatenate ${layer.name}: only channel concatenation is exported`);
        nodes.push({ op: 'Concat', inputs: inputsOf(layer), outputs: [out], attributes: { axis: 1 } });
        break;
      }
      case 'BatchNormalization': {
        const axis = Number(c.axis ?? -1);
        if (axis !== -1 && axis !== channelsOf(layer).length - 1) throw new OnnxExportError(`BatchNormalization ${layer.name}: only normalisation over channels is exported`);
        const weights = model.getLayer(layer.name).getWeights().map((w) => Float32Array.from(w.dataSync()));
        // tfjs omits gamma without `scale` and beta without `center`: weights are [gamma?, beta?, mean, variance].
        const [mean, variance] = weights.slice(-2);
        const n = mean.length;
        const gamma = c.scale === false ? new Float32Array(n).fill(1) : weights[0];
        const beta = c.center === false ? new Float32Array(n) : weights[c.scale === false ? 0 : 1];
        const names = ['scale', 'bias', 'mean', 'var'].map((k) => `${layer.name}.${k}`);
        [gamma, beta, mean, variance].forEach((data, i) => initializers.push({ name: names[i], dims: [n], data }));
        nodes.push({ op: 'BatchNormalization', inputs: [...inputsOf(layer), ...names], outputs: [out], attributes: { epsilon: { float: Number(c.epsilon ?? 1e-3) } } });
        break;
      }
      case 'Add': {
        const inputs = inputsOf(layer);
        let sum = inputs[0];
        inputs.slice(1).forEach((next, i) => {
          const target = i === inputs.length - 2 ? out : `${layer.name}:sum${i}`;
          nodes.push({ op: 'Add', inputs: [sum, next], outputs: [target] });
          sum = target;
        });
        break;
      }
      default:
        throw new OnnxExportError(`layer ${layer.name} (${layer.className}) is not exported to ONNX`);
    }
    tensorOf.set(layer.name, out);
  }
  const inputName = config.inputLayers[0][0];
  const outputLayer = config.outputLayers[0][0];
  const outputChannels = (model.outputs[0].shape as Array<number | null>).at(-1);
  const inputChannels = (model.inputs[0].shape as Array<number | null>).at(-1);
  if (typeof outputChannels !== 'number' || typeof inputChannels !== 'number') throw new OnnxExportError('input and output need fixed channel counts');
  if (inputRank === 4) nodes.push({ op: 'Transpose', inputs: [tensorOf.get(outputLayer)!], outputs: ['output'], attributes: { perm: [0, 2, 3, 1] } });
  else nodes.push({ op: 'Identity', inputs: [tensorOf.get(outputLayer)!], outputs: ['output'] });
  const shape = (channels: number) => (inputRank === 4 ? ['N', 'H', 'W', channels] : ['N', channels]);
  return encodeOnnx({
    name: graphName,
    nodes,
    initializers,
    inputs: [{ name: inputName, shape: shape(inputChannels) }],
    outputs: [{ name: 'output', shape: shape(outputChannels) }],
  });
}
