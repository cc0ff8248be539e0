import type { ScopeConfig } from '../scope-config';
import { ModelsService } from './models.service';

const resolvable = (name: string) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};
// On an acquisition PC with tfjs-node(-gpu) installed, libtensorflow is used instead of wasm.
const nativeTfjs = resolvable('@tensorflow/tfjs-node-gpu') || resolvable('@tensorflow/tfjs-node');

describe('ModelsService', () => {
  it('reports the inference runtime, the tfjs backend and how training runs, for /api/health', async () => {
    const service = new ModelsService({ models: { runtime: 'auto' } } as unknown as ScopeConfig);
    await service.onModuleInit();
    const report = service.runtime();
    expect(report.preference).toBe('auto');
    expect(report.selected).toBe('onnxruntime-node');
    expect(report.candidates.map((c) => c.name)).toEqual(['onnxruntime-node', 'tfjs-node-gpu', 'tfjs-node', 'tfjs-wasm']);
    if (nativeTfjs) {
      expect(report.training).toEqual(expect.objectContaining({ backend: 'tensorflow', gradients: 'native' }));
    } else {
      expect(report.tfjs?.backend).toBe('wasm');
      expect(report.tfjs?.skipped.map((s) => s.packageName)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
      expect(report.training).toEqual({
        backend: 'wasm',
        gradients: 'forward-convolution kernels registered for wasm',
        registeredKernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'ReluGrad'],
      });
    }
    expect(report.models.care).toBe('care-default');
  });

  it('refuses an invalid models section', () => {
    expect(() => new ModelsService({ models: { runtime: 'auto', care: { policy: { kind: 'every-nth', n: 0 } } } } as unknown as ScopeConfig)).toThrow(/n/);
  });
});
