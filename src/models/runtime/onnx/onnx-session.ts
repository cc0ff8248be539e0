import { InferenceRuntimeError } from '../inference-runtime';
import { createOnnxSession, loadOnnxRuntime } from '../onnx-runtime';

/** A float32 tensor by its dimensions, in the graph's own axis order. */
export interface NamedTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface OnnxPort {
  readonly name: string;
  /** Fixed sizes as numbers; symbolic or unknown ones as null. */
  readonly dims: ReadonlyArray<number | null> | null;
}

/**
 * An ONNX graph on ONNX Runtime with tensors in the graph's own layout, for models that are not NHWC (BioImage
 * Model Zoo packages are usually NCHW). One session per model, created once; run() feeds inputs by position.
 */
export class OnnxTensorSession {
  readonly runtimeName = 'onnxruntime-node';

  private constructor(
    private readonly session: import('onnxruntime-node').InferenceSession,
    private readonly ort: typeof import('onnxruntime-node'),
    readonly inputs: readonly OnnxPort[],
    readonly outputs: readonly OnnxPort[],
  ) {}

  static async create(graph: Uint8Array, threads?: number): Promise<OnnxTensorSession> {
    const ort = loadOnnxRuntime();
    if (!ort) throw new InferenceRuntimeError('onnxruntime-node is not installed or does not load here');
    const session = await createOnnxSession(ort, graph, threads);
    const port = (name: string, meta: unknown): OnnxPort => {
      const shape = (meta as { isTensor?: boolean; shape?: ReadonlyArray<number | string> } | undefined)?.shape;
      return { name, dims: shape ? shape.map((d) => (typeof d === 'number' && d > 0 ? d : null)) : null };
    };
    const inputMeta = (session as unknown as { inputMetadata?: unknown[] }).inputMetadata ?? [];
    const outputMeta = (session as unknown as { outputMetadata?: unknown[] }).outputMetadata ?? [];
    return new OnnxTensorSession(
      session,
      ort,
      session.inputNames.map((n, i) => port(n, inputMeta[i])),
      session.outputNames.map((n, i) => port(n, outputMeta[i])),
    );
  }

  /** Runs the graph on inputs given in the order of `inputs`; returns the outputs in the order of `outputs`. */
  async run(inputs: readonly NamedTensor[]): Promise<NamedTensor[]> {
    if (inputs.length !== this.inputs.length) throw new InferenceRuntimeError(`graph takes ${this.inputs.length} input(s), got ${inputs.length}`);
    const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
    inputs.forEach((t, i) => {
      feeds[this.inputs[i].name] = new this.ort.Tensor('float32', t.data, [...t.dims]);
    });
    const results = await this.session.run(feeds);
    return this.outputs.map((o) => {
      const r = results[o.name];
      if (r.type !== 'float32') throw new InferenceRuntimeError(`graph output ${o.name} is ${r.type}, not float32`);
      const out = { data: r.data as Float32Array, dims: r.dims.map(Number) };
      r.dispose?.();
      return out;
    });
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
