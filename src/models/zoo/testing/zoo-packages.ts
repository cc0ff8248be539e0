/** Zoo packages made for tests in temporary folders (never inside the project). */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** The real package in the shared data (read there, never copied into the project). */
export const UNET2D_NUCLEI_BROAD = resolve(PROJECT_ROOT, '..', 'shared', 'data', 'bioimage-model-zoo', 'unet2d-nuclei-broad');

export const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

const created: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this process. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The unet2d package in a temporary folder: its files linked, the description as given (or the original). */
export function linkedUnetPackage(description?: string, files = ['weights.onnx', 'test_input.npy', 'test_output.npy', 'test_input.png', 'test_output.png', 'cover0.png', 'README.md'], copy: readonly string[] = []): string {
  const dir = tempDir('zoo-unet');
  for (const f of files) {
    if (copy.includes(f)) copyFileSync(join(UNET2D_NUCLEI_BROAD, f), join(dir, f));
    else symlinkSync(join(UNET2D_NUCLEI_BROAD, f), join(dir, f));
  }
  writeFileSync(join(dir, 'bioimageio.yaml'), description ?? readFileSync(join(UNET2D_NUCLEI_BROAD, 'bioimageio.yaml'), 'utf8'));
  return dir;
}

/** The same network described in spec 0.4 (axes as a letter string, test tensors as paths without checksums). */
export function unetPackage04(): string {
  const rdf = {
    format_version: '0.4.10',
    type: 'model',
    name: 'UNet 2D Nuclei Broad (described in spec 0.4)',
    inputs: [
      {
        name: 'raw',
        axes: 'bcyx',
        data_type: 'float32',
        shape: [1, 1, 512, 512],
        preprocessing: [{ name: 'zero_mean_unit_variance', kwargs: { mode: 'per_sample', axes: 'xy' } }],
      },
    ],
    outputs: [
      {
        name: 'probability',
        axes: 'bcyx',
        data_type: 'float32',
        shape: { reference_tensor: 'raw', scale: [1, 1, 1, 1], offset: [0, 0, 0, 0] },
        halo: [0, 0, 32, 32],
        postprocessing: [{ name: 'sigmoid' }],
      },
    ],
    test_inputs: ['test_input.npy'],
    test_outputs: ['test_output.npy'],
    weights: {
      onnx: { source: 'weights.onnx', sha256: sha256Of(join(UNET2D_NUCLEI_BROAD, 'weights.onnx')), opset_version: 20 },
      torchscript: { source: 'weights.pt' },
    },
  };
  return linkedUnetPackage(stringify(rdf), ['weights.onnx', 'test_input.npy', 'test_output.npy']);
}

/** A package whose only weights are TorchScript and a PyTorch state dict (files need not exist: refused before). */
export function torchOnlyPackage(): string {
  const doc = parseDocument(readFileSync(join(UNET2D_NUCLEI_BROAD, 'bioimageio.yaml'), 'utf8'));
  doc.deleteIn(['weights', 'onnx']);
  return linkedUnetPackage(doc.toString(), ['test_input.npy', 'test_output.npy']);
}

/** The original description with the weights' sha256 changed (the file untouched). */
export function tamperedChecksumPackage(): string {
  const original = readFileSync(join(UNET2D_NUCLEI_BROAD, 'bioimageio.yaml'), 'utf8');
  const sha = sha256Of(join(UNET2D_NUCLEI_BROAD, 'weights.onnx'));
  const tampered = original.replace(sha, sha.replace(/^./, (c) => (c === '0' ? '1' : '0')));
  return linkedUnetPackage(tampered);
}
