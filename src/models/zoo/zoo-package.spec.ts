import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkedUnetPackage, removeTempDirs, tamperedChecksumPackage, tempDir, torchOnlyPackage, UNET2D_NUCLEI_BROAD, unetPackage04 } from './testing/zoo-packages';
import { ZooChecksumError, ZooPackageError, ZooWeightsFormatError } from './zoo-errors';
import { readZooPackage } from './zoo-package';

afterAll(removeTempDirs);

describe('reading BioImage Model Zoo packages', () => {
  it('reads unet2d-nuclei-broad (spec 0.5.4): axes, sizes, halo, processing, weights', () => {
    const pkg = readZooPackage(UNET2D_NUCLEI_BROAD);
    const d = pkg.description;
    expect(pkg.descriptionFile.endsWith('bioimageio.yaml')).toBe(true);
    expect(d.formatVersion).toBe('0.5.4');
    expect(d.inputs[0].axes.map((a) => a.id)).toEqual(['b', 'c', 'y', 'x']);
    expect(d.inputs[0].axes[2].size).toEqual({ kind: 'fixed', size: 512 });
    expect(d.outputs[0].axes[3]).toEqual({ id: 'x', size: { kind: 'reference', tensorId: 'raw', axisId: 'x', scale: 1, offset: 0 }, halo: 32 });
    expect(d.inputs[0].preprocessing.map((p) => p.kind)).toEqual(['ensure_dtype', 'zero_mean_unit_variance', 'ensure_dtype']);
    expect(d.inputs[0].preprocessing[1]).toEqual({ kind: 'zero_mean_unit_variance', axes: ['x', 'y'], eps: 1e-6 });
    expect(d.outputs[0].postprocessing[0]).toEqual({ kind: 'sigmoid' });
    expect(d.weightFormats).toEqual(['onnx', 'pytorch_state_dict', 'torchscript']);
    expect(d.onnx).toMatchObject({ source: 'weights.onnx', opsetVersion: 20 });
    expect(pkg.unverifiedFiles).toEqual([]);
  });

  it('reads spec 0.4 (letter axes, reference shapes, per-axis halo) and says which files it could not verify', () => {
    const pkg = readZooPackage(unetPackage04());
    expect(pkg.description.outputs[0].axes.map((a) => [a.id, a.halo])).toEqual([['b', 0], ['c', 0], ['y', 32], ['x', 32]]);
    expect(pkg.description.inputs[0].preprocessing[0]).toEqual({ kind: 'zero_mean_unit_variance', axes: ['x', 'y'], eps: 1e-6 });
    expect(pkg.unverifiedFiles).toEqual(['test_input.npy', 'test_output.npy']);
  });

  it('refuses a package whose weights do not match their sha256, naming the file', () => {
    const dir = tamperedChecksumPackage();
    expect(() => readZooPackage(dir)).toThrow(ZooChecksumError);
    expect(() => readZooPackage(dir)).toThrow(/weights\.onnx has sha256 85f5ac80.*the description states 05f5ac80/);
  });

  it('refuses an altered test tensor, naming it', () => {
    const dir = linkedUnetPackage(undefined, ['weights.onnx', 'test_input.npy'], []);
    writeFileSync(join(dir, 'test_output.npy'), readFileSync(join(UNET2D_NUCLEI_BROAD, 'test_output.npy')).subarray(0, 1000));
    expect(() => readZooPackage(dir)).toThrow(/test_output\.npy has sha256/);
  });

  it('refuses a package with weights only in formats it cannot run, naming them', () => {
    const dir = torchOnlyPackage();
    expect(() => readZooPackage(dir)).toThrow(ZooWeightsFormatError);
    expect(() => readZooPackage(dir)).toThrow(/has weights only as pytorch_state_dict, torchscript; this project runs onnx weights/);
  });

  it('refuses a minimal TorchScript-only description', () => {
    const dir = tempDir('zoo-torchscript');
    const axes = [{ type: 'batch' }, { type: 'channel', channel_names: ['c'] }, { type: 'space', id: 'y', size: 64 }, { type: 'space', id: 'x', size: 64 }];
    writeFileSync(
      join(dir, 'rdf.yaml'),
      JSON.stringify({
        format_version: '0.5.3',
        type: 'model',
        name: 'fake',
        inputs: [{ id: 'in', axes, test_tensor: { source: 'in.npy' } }],
        outputs: [{ id: 'out', axes, test_tensor: { source: 'out.npy' } }],
        weights: { torchscript: { source: 'weights.pt' } },
      }),
    );
    expect(() => readZooPackage(dir)).toThrow(/has weights only as torchscript/);
  });

  it('refuses outputs at another resolution or extent than the input, and z axes, naming the tensor and axis', () => {
    const original = readFileSync(join(UNET2D_NUCLEI_BROAD, 'bioimageio.yaml'), 'utf8').replace(/\r\n/g, '\n');
    const scaled = original.replace('          axis_id: y\n        id: y\n        type: space', '          axis_id: y\n        id: y\n        type: space\n        scale: 2');
    expect(scaled).not.toBe(original);
    expect(() => readZooPackage(linkedUnetPackage(scaled))).toThrow(/"probability" axis y is at 2× the input's resolution; outputs at another resolution are not supported/);
    const shrunk = original.replace('          axis_id: x\n        type: space', '          axis_id: x\n          offset: -8\n        type: space');
    expect(() => readZooPackage(linkedUnetPackage(shrunk))).toThrow(/"probability" axis x is 8 px smaller than the input/);
    const withZ = original.replace('        id: y\n        type: space', '        id: z\n        type: space');
    expect(() => readZooPackage(linkedUnetPackage(withZ))).toThrow(/has a z axis; this project runs 2-D images/);
  });

  it('names an unsupported processing step, a missing file and an unreadable description', () => {
    const original = readFileSync(join(UNET2D_NUCLEI_BROAD, 'bioimageio.yaml'), 'utf8');
    expect(() => readZooPackage(linkedUnetPackage(original.replace('- id: sigmoid', '- id: scale_mean_variance')))).toThrow(/processing "scale_mean_variance" is not supported/);
    expect(() => readZooPackage(linkedUnetPackage(undefined, ['weights.onnx', 'test_input.npy']))).toThrow(/test_output\.npy is missing/);
    expect(() => readZooPackage(linkedUnetPackage('format_version: 0.3.0\n'))).toThrow(ZooPackageError);
    expect(() => readZooPackage(tempDir('zoo-empty'))).toThrow(/has no rdf\.yaml or bioimageio\.yaml/);
  });
});
