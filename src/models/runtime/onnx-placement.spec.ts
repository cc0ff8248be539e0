import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCudaProvider, onnxPlacement } from './onnx-runtime';

// No GPU here: the CUDA provider's presence is what the install leaves in the package's bin folder.
describe('ONNX Runtime placement', () => {
  const root = mkdtempSync(join(tmpdir(), 'ort-package-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the CUDA provider library where a CUDA install puts it, and not in a CPU-only install', () => {
    const cpuOnly = join(root, 'cpu');
    mkdirSync(join(cpuOnly, 'bin', 'napi-v6', 'linux', 'x64'), { recursive: true });
    writeFileSync(join(cpuOnly, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime.so.1'), '');
    expect(hasCudaProvider(cpuOnly)).toBe(false);
    const withCuda = join(root, 'cuda');
    mkdirSync(join(withCuda, 'bin', 'napi-v6', 'linux', 'x64'), { recursive: true });
    writeFileSync(join(withCuda, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so'), '');
    expect(hasCudaProvider(withCuda)).toBe(true);
    expect(hasCudaProvider(null)).toBe(false);
  });

  it('runs on the CPU with one thread per core unless told otherwise (this installation skips the CUDA download)', () => {
    expect(hasCudaProvider()).toBe(false);
    expect(onnxPlacement()).toEqual({ provider: 'cpu', threads: require('node:os').availableParallelism() });
    expect(onnxPlacement(3).threads).toBe(3);
  });
});
