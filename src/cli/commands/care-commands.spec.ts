import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_CARE_MODEL, loadCareModel } from '../../models/care/care-model';
import { tinyCareNetwork, writeTinyCareFolder } from '../../models/care/testing/tiny-care';
import { storageStackIo } from '../../models/io/storage-stack-io';
import { initTfjsBackend } from '../../models/runtime/tfjs-backend';
import type { ProgressFactory } from '../text-progress';
import { UsageError } from '../usage-error';
import { provenancePath, runDenoiseCommand } from './denoise.command';
import { runTrainCareCommand } from './train-care.command';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function recordingProgress(): { factory: ProgressFactory; updates: Array<{ label: string; done: number }>; finished: string[] } {
  const updates: Array<{ label: string; done: number }> = [];
  const finished: string[] = [];
  return {
    updates,
    finished,
    factory: (label) => ({ update: (done) => updates.push({ label, done }), finish: () => finished.push(label) }),
  };
}

const quietStdout = () => new Writable({ write: (_chunk, _enc, done) => done() });

async function writeStack(path: string, planes: number, widthPx: number, heightPx: number, seed: number, noise = 10): Promise<void> {
  const writer = await storageStackIo.createStack(path, {
    widthPx,
    heightPx,
    planeCount: planes,
    sampleType: 'uint16',
    description: 'test stack',
  });
  let s = seed;
  for (let p = 0; p < planes; p++) {
    const pixels = new Uint16Array(widthPx * heightPx);
    for (let i = 0; i < pixels.length; i++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const x = i % widthPx;
      const y = Math.floor(i / widthPx);
      pixels[i] = 100 + 80 * Math.exp(-((x - widthPx / 2) ** 2 + (y - heightPx / 2) ** 2) / 60) + noise * (s / 2 ** 32);
    }
    await writer.writePlane(pixels);
  }
  await writer.close();
}

describe('CARE commands', () => {
  let dir: string;
  let modelDir: string;
  const io = { stacks: storageStackIo, stdout: quietStdout() };

  beforeAll(async () => {
    await initTfjsBackend();
    dir = mkdtempSync(join(tmpdir(), 'care-cli-'));
    modelDir = (await writeTinyCareFolder(tinyCareNetwork(), undefined, join(dir, 'models', 'tiny'))).dir;
    await writeStack(join(dir, 'raw.tif'), 3, 56, 40, 1);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('denoises every plane into a stack of the same shape, with uncertainty, quality lines and a link to the raw data', async () => {
    const raw = join(dir, 'raw.tif');
    const before = sha(raw);
    const progress = recordingProgress();
    const out = join(dir, 'restored.ome.tif');
    const code = await runDenoiseCommand(
      [
        raw,
        out,
        '--model',
        'tiny',
        '--models-dir',
        join(dir, 'models'),
        '--quality',
        join(dir, 'q.jsonl'),
        '--uncertainty',
        join(dir, 'u.ome.tif'),
        '--dtype',
        'uint16',
      ],
      { ...io, progress: progress.factory },
    );
    expect(code).toBe(0);
    const restored = await storageStackIo.openStack(out);
    expect([restored.planeCount, restored.widthPx, restored.heightPx, restored.sampleType]).toEqual([3, 56, 40, 'uint16']);
    await restored.close();
    const uncertainty = await storageStackIo.openStack(join(dir, 'u.ome.tif'));
    expect([uncertainty.planeCount, uncertainty.sampleType]).toEqual([3, 'float32']);
    expect(Math.min(...Array.from(await uncertainty.readPlane(2)))).toBeGreaterThan(0);
    await uncertainty.close();
    const quality = readFileSync(join(dir, 'q.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(quality.map((q) => q.plane)).toEqual([0, 1, 2]);
    expect(quality[0]).toEqual(expect.objectContaining({ uncertaintyMethod: 'laplace', predictedPsnrDb: expect.any(Number) }));
    const provenance = JSON.parse(readFileSync(provenancePath(out), 'utf8'));
    expect(provenance.raw.path).toBe(raw);
    expect(provenance.model.id).toBe('tiny');
    expect(sha(raw)).toBe(before);
    expect(progress.updates.map((u) => u.done)).toEqual([1, 2, 3]);
    expect(progress.finished).toHaveLength(1);
  });

  it('never writes over the raw input, and names bad arguments', async () => {
    const raw = join(dir, 'raw.tif');
    await expect(runDenoiseCommand([raw, raw, '--model', modelDir], io)).rejects.toThrow(/is the raw input/);
    await expect(runDenoiseCommand([raw], io)).rejects.toThrow(UsageError);
    await expect(runDenoiseCommand([raw, join(dir, 'x.tif'), '--dtype', 'int8', '--model', modelDir], io)).rejects.toThrow(/--dtype/);
    await expect(runDenoiseCommand([raw, join(dir, 'x.tif'), '--colour', 'red'], io)).rejects.toThrow(/colour/);
    await expect(runDenoiseCommand([join(dir, 'none.tif'), join(dir, 'x.tif')], io)).rejects.toThrow(/no such file/);
    // An existing output is refused by the storage writers, not overwritten.
    writeFileSync(join(dir, 'existing.ome.tif'), "someone else's data");
    await expect(
      runDenoiseCommand([raw, join(dir, 'existing.ome.tif'), '--model', modelDir], { ...io, progress: recordingProgress().factory }),
    ).rejects.toThrow(/exists/);
    expect(readFileSync(join(dir, 'existing.ome.tif'), 'utf8')).toBe("someone else's data");
  });

  it('trains a self-supervised model from a noisy stack and a supervised one from a folder of pairs', async () => {
    await writeStack(join(dir, 'noisy.tif'), 2, 64, 64, 3, 40);
    const small = [
      '--epochs',
      '1',
      '--steps-per-epoch',
      '2',
      '--batch',
      '2',
      '--patch',
      '32',
      '--patches-per-image',
      '4',
      '--probabilistic',
      'no',
    ];
    const progress = recordingProgress();
    await runTrainCareCommand(['--noisy', join(dir, 'noisy.tif'), '--out', join(dir, 'n2v'), ...small], {
      ...io,
      progress: progress.factory,
    });
    const n2v = await loadCareModel(join(dir, 'n2v'), { runtime: 'tfjs' });
    expect(n2v.scope.training.mode).toBe('self-supervised');
    expect(n2v.scope.architecture.residual).toBe(false);
    expect(n2v.uncertaintyMethod).toBe('flip-ensemble');
    await n2v.dispose();
    expect(progress.updates.at(-1)!.done).toBe(2);

    for (const sub of ['low', 'GT']) mkdirSync(join(dir, 'pairs', sub), { recursive: true });
    await writeStack(join(dir, 'pairs', 'low', 'a.tif'), 2, 64, 64, 5, 60);
    await writeStack(join(dir, 'pairs', 'GT', 'a.tif'), 2, 64, 64, 5, 2);
    await runTrainCareCommand(['--pairs', join(dir, 'pairs'), '--out', join(dir, 'care'), ...small], {
      ...io,
      progress: recordingProgress().factory,
    });
    const care = await loadCareModel(join(dir, 'care'), { runtime: 'tfjs' });
    expect(care.scope.training.mode).toBe('supervised');
    await care.dispose();
  });

  it('names missing or conflicting training inputs', async () => {
    await expect(runTrainCareCommand([], io)).rejects.toThrow(/exactly one of --pairs <dir> or --noisy/);
    await expect(runTrainCareCommand(['--pairs', dir, '--noisy', 'x.tif'], io)).rejects.toThrow(UsageError);
    await expect(runTrainCareCommand(['--pairs', join(dir, 'nowhere')], io)).rejects.toThrow(/no folder .*nowhere\/low/);
    mkdirSync(join(dir, 'half', 'low'), { recursive: true });
    mkdirSync(join(dir, 'half', 'high'), { recursive: true });
    await writeStack(join(dir, 'half', 'low', 'b.tif'), 1, 32, 32, 1);
    await expect(runTrainCareCommand(['--pairs', join(dir, 'half')], io)).rejects.toThrow(/lacks the targets of b\.tif/);
  });

  // The shipped model itself is evaluated in src/models/care/evaluation/shipped-model.spec.ts.
  it('denoises with the shipped model when no --model is given', async () => {
    const input = join(dir, 'frame.tif');
    const writer = await storageStackIo.createStack(input, {
      widthPx: 64,
      heightPx: 64,
      planeCount: 1,
      sampleType: 'uint16',
      description: 'one frame',
    });
    await writer.writePlane(Uint16Array.from({ length: 64 * 64 }, (_, i) => 100 + ((i * 7) % 13)));
    await writer.close();
    const lines: string[] = [];
    const stdout = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const silent = () => ({ update: () => undefined, finish: () => undefined });
    await runDenoiseCommand([input, join(dir, 'out.ome.tif'), '--runtime', 'tfjs'], { stacks: storageStackIo, stdout, progress: silent });
    expect(JSON.parse(lines[0]).model).toBe(DEFAULT_CARE_MODEL);
  });
});
