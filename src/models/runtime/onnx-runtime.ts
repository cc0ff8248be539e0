import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
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

/** The CUDA execution provider library, which onnxruntime-node's install script adds on a CUDA PC (not with install=skip). */
const CUDA_PROVIDER_LIBRARY = /^(lib)?onnxruntime_providers_cuda\.(so|dll)$/;

/** Whether onnxruntime-node's binaries under `packageDir` include the CUDA provider. */
export function hasCudaProvider(packageDir: string | null = onnxPackageDir()): boolean {
  if (!packageDir) return false;
  const walk = (dir: string, depth: number): boolean => {
    if (!existsSync(dir) || depth > 4) return false;
    return readdirSync(dir, { withFileTypes: true }).some((entry) => (entry.isDirectory() ? walk(join(dir, entry.name), depth + 1) : CUDA_PROVIDER_LIBRARY.test(entry.name)));
  };
  return walk(join(packageDir, 'bin'), 0);
}

function onnxPackageDir(): string | null {
  try {
    return dirname(require.resolve('onnxruntime-node/package.json'));
  } catch {
    return null;
  }
}

export interface OnnxPlacement {
  /** The execution provider sessions ask for first (CPU is always the fallback). */
  readonly provider: 'cuda' | 'cpu';
  /** Intra-op threads of a CPU session. */
  readonly threads: number;
}

let cuda: boolean | undefined;

/** Where sessions run: the CUDA provider when installed, else the CPU with `threads` (default: the cores present). */
export function onnxPlacement(threads?: number): OnnxPlacement {
  cuda ??= process.env.SCOPE_ONNX_PROVIDER !== 'cpu' && hasCudaProvider();
  return { provider: cuda ? 'cuda' : 'cpu', threads: threads ?? availableParallelism() };
}

/** One session for a graph: on CUDA when installed (CPU if the CUDA session fails to start), every optimisation on. */
export async function createOnnxSession(module: Ort, graph: Uint8Array, threads?: number): Promise<import('onnxruntime-node').InferenceSession> {
  const placement = onnxPlacement(threads);
  const options = (providers: string[]) => ({ executionProviders: providers, graphOptimizationLevel: 'all' as const, intraOpNumThreads: placement.threads });
  if (placement.provider === 'cuda') {
    try {
      return await module.InferenceSession.create(graph, options(['cuda', 'cpu']));
    } catch {
      cuda = false;
    }
  }
  return module.InferenceSession.create(graph, options(['cpu']));
}

/**
 * An ONNX graph behind the runtime interface (createOnnxSession: CUDA when installed, else CPU). The graph takes and returns NHWC float32
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
    return new OnnxRuntime(await createOnnxSession(module, graph, threads), module);
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
