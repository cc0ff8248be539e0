import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadCareModel } from '../care/care-model';
import { TINY_CARE_CONFIG, tinyCareNetwork, writeTinyCareFolder } from '../care/testing/tiny-care';
import { initTfjsBackend } from '../runtime/tfjs-backend';
import { TfjsRuntime } from '../runtime/tfjs-runtime';
import { ModelFolderError, ModelInputShapeError, ModelNotFoundError } from './model-errors';
import type { ModelFolder } from './model-folder';
import { ModelStore } from './model-store';

describe('model folders', () => {
  let folder: ModelFolder;
  let scratch: string;
  const frame = Float32Array.from({ length: 40 * 48 }, (_, i) => 50 + ((i * 37) % 101) + 20 * Math.sin(i / 9));

  beforeAll(async () => {
    await initTfjsBackend();
    folder = await writeTinyCareFolder(tinyCareNetwork());
    scratch = mkdtempSync(join(tmpdir(), 'care-broken-'));
  });
  afterAll(() => {
    rmSync(dirname(folder.dir), { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A copy of the good folder with one thing broken. */
  function brokenCopy(name: string, breakIt: (dir: string) => void): string {
    const dir = join(scratch, name);
    cpSync(folder.dir, dir, { recursive: true });
    breakIt(dir);
    return dir;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test edits its own corner of the YAML tree
  function editRdf(dir: string, edit: (rdf: Record<string, any>) => void): void {
    const rdf = parse(readFileSync(join(dir, 'rdf.yaml'), 'utf8'));
    edit(rdf);
    writeFileSync(join(dir, 'rdf.yaml'), stringify(rdf));
  }

  it('reloads a saved model to identical outputs', async () => {
    const network = tinyCareNetwork();
    const saved = await writeTinyCareFolder(network, TINY_CARE_CONFIG, join(scratch, 'saved'));
    const input = Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i / 7));
    const original = await new TfjsRuntime(network).predict(input, [1, 32, 32, 1]);
    const model = await loadCareModel(saved.dir, { runtime: 'tfjs' });
    const reloaded = await model.runtime.predict(input, [1, 32, 32, 1]);
    expect(Array.from(reloaded.data)).toEqual(Array.from(original.data));
    expect(model.id).toBe('saved');
    await model.dispose();
    network.dispose();
  });

  it('finds models by name and lists what is there when the name is unknown', () => {
    const store = new ModelStore([dirname(folder.dir)]);
    expect(store.list()).toEqual(['tiny-care']);
    expect(store.open('tiny-care').rdf.name).toBe('tiny CARE for tests');
    expect(() => store.open('nope')).toThrow(ModelNotFoundError);
    expect(() => store.open('nope')).toThrow(/no model "nope" in .*; available: tiny-care/);
  });

  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['no rdf.yaml', (dir) => unlinkSync(join(dir, 'rdf.yaml')), /rdf\.yaml is missing/],
    ['rdf.yaml not YAML', (dir) => writeFileSync(join(dir, 'rdf.yaml'), 'name: [unclosed'), /rdf\.yaml is not valid YAML/],
    ['rdf.yaml without a license', (dir) => editRdf(dir, (r) => delete r.license), /not a valid model description: license/],
    ['rdf.yaml without inputs', (dir) => editRdf(dir, (r) => delete r.inputs), /inputs/],
    ['truncated weights', (dir) => writeFileSync(join(dir, 'weights.bin'), readFileSync(join(dir, 'weights.bin')).subarray(0, 100)), /weights\.bin does not match the sha256/],
    ['no model.json', (dir) => unlinkSync(join(dir, 'model.json')), /model\.json is missing/],
    ['not a CARE model', (dir) => editRdf(dir, (r) => (r.config.scope.kind = 'deep-storm')), /is not a CARE model: config\.scope\.kind/],
    ['architecture that does not match the network', (dir) => editRdf(dir, (r) => (r.config.scope.architecture.probabilistic = false)), /outputs \[null,null,null,2\], but config\.scope\.architecture implies 1 channel/],
  ];

  it.each(cases)('refuses a folder with %s, saying what is wrong', async (name, breakIt, message) => {
    const dir = brokenCopy(name.replace(/\W+/g, '-'), breakIt);
    const attempt = loadCareModel(dir, { runtime: 'tfjs' });
    await expect(attempt).rejects.toThrow(ModelFolderError);
    await expect(loadCareModel(dir, { runtime: 'tfjs' })).rejects.toThrow(message);
  });

  it('refuses a path that is no folder', async () => {
    await expect(loadCareModel(join(scratch, 'missing/model'))).rejects.toThrow(ModelNotFoundError);
    await expect(loadCareModel(join(folder.dir, 'rdf.yaml'))).rejects.toThrow(/is not a folder/);
  });

  it('names wrong input shapes', async () => {
    const model = await loadCareModel(folder.dir, { runtime: 'tfjs' });
    expect(() => model.checkShape([1, 30, 32, 1])).toThrow(ModelInputShapeError);
    expect(() => model.checkShape([1, 30, 32, 1])).toThrow(/needs y = 4 \+ k·4 px; got 30/);
    expect(() => model.checkShape([1, 32, 32, 3])).toThrow(/has 1 channel\(s\) \(raw_intensity\); got 3/);
    await expect(model.restore(frame, 40, 40)).rejects.toThrow(/frame of 1920 pixels is not 40×40/);
    await expect(model.restore(frame, 0, 1920)).rejects.toThrow(ModelInputShapeError);
    const restored = await model.restore(frame, 48, 40);
    expect(restored.restored).toHaveLength(frame.length);
    expect(restored.uncertainty).toHaveLength(frame.length);
    await model.dispose();
  });
});
