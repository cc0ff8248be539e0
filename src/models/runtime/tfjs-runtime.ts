import * as tf from '@tensorflow/tfjs';
import { checkInputLength, InferenceRuntimeError, type InferenceOutput, type InferenceRuntime, type Nhwc } from './inference-runtime';

/** A tfjs layers model behind the runtime interface, on whichever tfjs backend is selected. */
export class TfjsRuntime implements InferenceRuntime {
  private disposed = false;

  constructor(readonly model: tf.LayersModel) {}

  get name(): string {
    return `tfjs-${tf.getBackend()}`;
  }

  async predict(input: Float32Array, shape: Nhwc): Promise<InferenceOutput> {
    if (this.disposed) throw new InferenceRuntimeError(`${this.name}: predict after dispose`);
    checkInputLength(input, shape, this.name);
    const output = tf.tidy(() => this.model.predict(tf.tensor4d(input, [...shape])) as tf.Tensor4D);
    try {
      const data = (await output.data()) as Float32Array;
      return { data, shape: output.shape as unknown as Nhwc };
    } finally {
      output.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}
