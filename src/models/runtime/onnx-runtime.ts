import { checkInputLength, InferenceRuntimeError, type InferenceOutput, type InferenceRuntime, type Nhwc } from './inference-runtime';

type Ort = typeof import('onnxruntime-node');

let ort: Ort | undefined | null;

/** onnxruntime-node, or null when it is not installed or its binary does not load on this platform. */
export function loadOnnxRuntime(): Ort | null {
  if (ort === undefined) {
    try {
      ort = require('onnxruntime-node') as Ort;
    } catch {
      ort = null;
    }
  }
  return ort;
}

/**
 * An ONNX graph behind the runtime interface (CPU execution provider). The graph takes and returns NHWC float32
 * tensors, as the tfjs models do, so callers need not know which runtime they got.
 */
export class OnnxRuntime implements InferenceRuntime {
  readonly name = 'onnxruntime-node';

  private constructor(
    private readonly session: import('onnxruntime-node').InferenceSession,
    private readonly ortModule: Ort,
  ) {}

  static async create(graph: Uint8Array, threads?: number): Promise<OnnxRuntime> {
    const module = loadOnnxRuntime();
    if (!module) throw new InferenceRuntimeError('onnxruntime-node is not installed or does not load here');
    const session = await module.InferenceSession.create(graph, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(threads ? { intraOpNumThreads: threads } : {}),
    });
    return new OnnxRuntime(session, module);
  }

  async predict(input: Float32Array, shape: Nhwc): Promise<InferenceOutput> {
    checkInputLength(input, shape, this.name);
    const feeds = { [this.session.inputNames[0]]: new this.ortModule.Tensor('float32', input, [...shape]) };
    const results = await this.session.run(feeds);
    const output = results[this.session.outputNames[0]];
    const dims = output.dims.map(Number);
    if (dims.length !== 4) throw new InferenceRuntimeError(`${this.name}: graph returned a rank-${dims.length} tensor`);
    const data = output.data as Float32Array;
    output.dispose?.();
    return { data, shape: dims as unknown as Nhwc };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
