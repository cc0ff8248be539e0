import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from './wasm-gradient-kernels';

/**
 * Chooses the TensorFlow.js backend once per process: libtensorflow through @tensorflow/tfjs-node-gpu (CUDA) or
 * @tensorflow/tfjs-node when installed (both optional: their install step downloads libtensorflow, which this
 * project's offline installs cannot), else the wasm backend (SIMD, one thread in Node) with fast convolution
 * gradients registered so that training runs there too, else the pure-JavaScript cpu backend.
 */

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';
export type TfjsPreference = 'auto' | 'wasm' | 'cpu';

export interface TfjsBackendReport {
  /** The tfjs backend in use for inference and training. */
  readonly backend: TfjsBackendName;
  /** The npm package that provides it. */
  readonly packageName: string;
  /** How training runs on it, for logs and /api/health. */
  readonly training: {
    readonly backend: TfjsBackendName;
    readonly gradients: 'native' | 'forward-convolution kernels registered for wasm' | 'javascript reference kernels';
    readonly registeredKernels: readonly string[];
  };
  /** Packages tried before the one in use, with the reason each was passed over. */
  readonly skipped: ReadonlyArray<{ readonly packageName: string; readonly reason: string }>;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: Promise<TfjsBackendReport> | undefined;
let currentPreference: TfjsPreference | undefined;

function loadOptional(packageName: string): string | undefined {
  try {
    // A variable name keeps bundlers and the type checker from requiring the optional package.
    const load: (id: string) => unknown = require;
    load(packageName);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

async function select(preference: TfjsPreference): Promise<TfjsBackendReport> {
  // Production mode: tfjs otherwise prints a "install tfjs-node" banner on the first cpu-backend tensor.
  tf.env().set('PROD', true);
  const skipped: Array<{ packageName: string; reason: string }> = [];
  if (preference === 'auto') {
    for (const packageName of NATIVE_PACKAGES) {
      const failure = loadOptional(packageName);
      if (failure === undefined && (await tf.setBackend('tensorflow'))) {
        return { backend: 'tensorflow', packageName, training: { backend: 'tensorflow', gradients: 'native', registeredKernels: [] }, skipped };
      }
      skipped.push({ packageName, reason: failure ?? 'the tensorflow backend did not initialise' });
    }
  }
  if (preference !== 'cpu') {
    const failure = loadOptional('@tensorflow/tfjs-backend-wasm');
    if (failure === undefined) {
      const registeredKernels = registerWasmGradientKernels();
      if (await tf.setBackend('wasm')) {
        const training = { backend: 'wasm' as const, gradients: 'forward-convolution kernels registered for wasm' as const, registeredKernels };
        return { backend: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm', training, skipped };
      }
    }
    skipped.push({ packageName: '@tensorflow/tfjs-backend-wasm', reason: failure ?? 'the wasm backend did not initialise' });
  }
  await tf.setBackend('cpu');
  return { backend: 'cpu', packageName: '@tensorflow/tfjs', training: { backend: 'cpu', gradients: 'javascript reference kernels', registeredKernels: [] }, skipped };
}

/** Selects (once) and returns the backend; later calls with the same preference return the same report. */
export function initTfjsBackend(preference: TfjsPreference = 'auto'): Promise<TfjsBackendReport> {
  if (!current || currentPreference !== preference) {
    currentPreference = preference;
    current = select(preference);
  }
  return current;
}

/** The report of the backend already selected, if any. */
export function tfjsBackendReport(): Promise<TfjsBackendReport> | undefined {
  return current;
}
