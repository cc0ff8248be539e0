/**
 * What a model needs from a runtime to predict: NHWC float32 in, NHWC float32 out. TensorFlow.js (wasm, cpu,
 * tfjs-node) and ONNX Runtime implement it, so models and operators never know which one runs them.
 */

export type Nhwc = readonly [batch: number, heightPx: number, widthPx: number, channels: number];

export interface InferenceOutput {
  readonly data: Float32Array;
  readonly shape: Nhwc;
}

export interface InferenceRuntime {
  /** e.g. 'tfjs-wasm', 'tfjs-tensorflow', 'onnxruntime-node'. */
  readonly name: string;
  predict(input: Float32Array, shape: Nhwc): Promise<InferenceOutput>;
  /** Frees the model's memory; the runtime is unusable afterwards. */
  dispose(): Promise<void>;
}

export class InferenceRuntimeError extends Error {
  override readonly name = 'InferenceRuntimeError';
}

export function checkInputLength(input: Float32Array, shape: Nhwc, where: string): void {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (input.length !== expected) throw new InferenceRuntimeError(`${where}: input holds ${input.length} values, shape ${shape.join('×')} needs ${expected}`);
}
