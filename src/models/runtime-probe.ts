/**
 * Which inference runtimes this installation could use, in the order the service prefers them. Probing only
 * resolves packages; nothing is loaded until a model needs it.
 */

export interface RuntimeCandidate {
  readonly name: 'onnxruntime-node' | 'tfjs-node-gpu' | 'tfjs-node' | 'tfjs-wasm';
  readonly packageName: string;
  readonly installed: boolean;
}

const CANDIDATES: ReadonlyArray<Omit<RuntimeCandidate, 'installed'>> = [
  { name: 'onnxruntime-node', packageName: 'onnxruntime-node' },
  { name: 'tfjs-node-gpu', packageName: '@tensorflow/tfjs-node-gpu' },
  { name: 'tfjs-node', packageName: '@tensorflow/tfjs-node' },
  { name: 'tfjs-wasm', packageName: '@tensorflow/tfjs-backend-wasm' },
];

function isResolvable(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

export function probeRuntimes(): readonly RuntimeCandidate[] {
  return CANDIDATES.map((c) => ({ ...c, installed: isResolvable(c.packageName) }));
}

export interface RuntimeReport {
  readonly preference: 'auto' | 'onnx' | 'tfjs';
  /** The runtime models will run on, or null when none is installed. */
  readonly selected: RuntimeCandidate['name'] | null;
  readonly candidates: readonly RuntimeCandidate[];
}

export function selectRuntime(preference: RuntimeReport['preference']): RuntimeReport {
  const candidates = probeRuntimes();
  const allowed = candidates.filter(
    (c) => c.installed && (preference === 'auto' || (preference === 'onnx') === (c.name === 'onnxruntime-node')),
  );
  return { preference, selected: allowed[0]?.name ?? null, candidates };
}
