import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhotodamageDish } from '../../../simulators/sample/photodamage';
import { phototoxSamples } from '../../../scripts/phototox-dataset';
import { evaluate, type Evaluation } from '../../../scripts/phototox-evaluation';
import { openModelFolder } from '../store/model-folder';
import { readNpy } from '../zoo/npy';
import { featureColumns, pickFeatures, regionFeatures, type ObservedFrame } from './phototox-features';
import { predictProbability, phototoxWeightsSchema } from './phototox-model';
import { DEFAULT_PHOTOTOX_DIR, loadPhototoxPredictor } from './phototox-predictor';

interface StoredMetrics {
  readonly format: string;
  readonly bins: number;
  readonly seeds: { readonly training: number[]; readonly calibration: number[]; readonly heldOut: number[] };
  readonly trainingData: { readonly wavelengthsNm: number[]; readonly description: string };
  readonly heldOut: Evaluation;
  readonly baselines: { readonly shippedV1?: Evaluation; readonly v1FeaturesRetrained: Evaluation };
}

const stored = (): StoredMetrics => JSON.parse(readFileSync(join(DEFAULT_PHOTOTOX_DIR, 'metrics.json'), 'utf8')) as StoredMetrics;

/** ECE as the weighted gap of the stored reliability curve. */
const eceOfCurve = (e: Evaluation) => e.reliability.reduce((sum, b) => sum + (b.count ? (b.count / e.samples) * Math.abs(b.meanPredicted! - b.observedFrequency!) : 0), 0);

describe('the phototoxicity package: its held-out evaluation', () => {
  it('stores held-out ROC AUC, ECE, Brier and a 10-bin reliability curve, in range and agreeing with each other', () => {
    const m = stored();
    expect(m.format).toBe('phototox-metrics/1');
    const { training, calibration, heldOut } = m.seeds;
    expect(heldOut.filter((s) => training.includes(s) || calibration.includes(s))).toEqual([]);
    expect(heldOut.length).toBeGreaterThanOrEqual(12);
    expect(m.trainingData.wavelengthsNm).toEqual(expect.arrayContaining([405, 488, 561, 640]));
    for (const e of [m.heldOut, m.baselines.v1FeaturesRetrained, ...(m.baselines.shippedV1 ? [m.baselines.shippedV1] : [])]) {
      expect(e.rocAuc).toBeGreaterThan(0.5);
      expect(e.rocAuc).toBeLessThanOrEqual(1);
      expect(e.expectedCalibrationError).toBeGreaterThanOrEqual(0);
      expect(e.expectedCalibrationError).toBeLessThan(0.5);
      expect(e.brierScore).toBeGreaterThanOrEqual(0);
      expect(e.reliability).toHaveLength(m.bins);
      expect(e.reliability.reduce((s, b) => s + b.count, 0)).toBe(e.samples);
      expect(eceOfCurve(e)).toBeCloseTo(e.expectedCalibrationError, 9);
      expect(e.byRun.map((r) => r.seed)).toEqual(heldOut);
    }
    // the model shipped: calibrated, and better than the seven features without wavelength and dose rate
    expect(m.heldOut.expectedCalibrationError).toBeLessThan(0.05);
    expect(m.heldOut.brierScore).toBeLessThan(m.baselines.v1FeaturesRetrained.brierScore);
    expect(m.heldOut.rocAuc!).toBeGreaterThan(m.baselines.v1FeaturesRetrained.rocAuc!);
    const { metrics } = loadPhototoxPredictor().model;
    expect(metrics?.heldOutRocAuc).toBe(m.heldOut.rocAuc);
    expect(metrics?.heldOutExpectedCalibrationError).toBe(m.heldOut.expectedCalibrationError);
    expect(metrics?.heldOutBrierScore).toBe(m.heldOut.brierScore);
  });

  it('reproduces its stored per-run metrics on a few held-out runs, recomputed from the simulator', () => {
    const m = stored();
    const model = loadPhototoxPredictor().model;
    const seeds = m.seeds.heldOut.slice(0, 4);
    const again = evaluate(model, phototoxSamples(seeds));
    expect(again.byRun.length).toBe(seeds.length);
    again.byRun.forEach((run, i) => {
      const was = m.heldOut.byRun[i];
      expect(run.seed).toBe(was.seed);
      expect(run.samples).toBe(was.samples);
      expect(run.damaged).toBe(was.damaged);
      expect(run.brierScore).toBeCloseTo(was.brierScore, 9);
      expect(run.expectedCalibrationError).toBeCloseTo(was.expectedCalibrationError, 9);
      if (was.rocAuc === null) expect(run.rocAuc).toBeNull();
      else expect(run.rocAuc).toBeCloseTo(was.rocAuc, 9);
    });
  });

  it("gives the stored test output for the stored test input (the agent's probabilities)", () => {
    const folder = openModelFolder(DEFAULT_PHOTOTOX_DIR);
    const input = readNpy(readFileSync(join(folder.dir, folder.rdf.inputs[0].test_tensor!.source)));
    const output = readNpy(readFileSync(join(folder.dir, folder.rdf.outputs[0].test_tensor!.source)));
    const { model } = loadPhototoxPredictor();
    const [rows, width] = input.shape;
    expect(width).toBe(model.featureNames.length);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(input.data.subarray(r * width, (r + 1) * width));
      expect(Math.abs(predictProbability(model, row) - output.data[r])).toBeLessThan(1e-6);
    }
  });

  it('keeps the reliability diagram and the format-1 baseline in the folder, checksummed; the baseline still loads', () => {
    const { rdf } = openModelFolder(DEFAULT_PHOTOTOX_DIR);
    expect(rdf.attachments?.map((a) => a.source)).toEqual(expect.arrayContaining(['metrics.json', 'reliability.svg', 'phototox-v1.json']));
    const svg = readFileSync(join(DEFAULT_PHOTOTOX_DIR, 'reliability.svg'), 'utf8');
    const m = stored();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<circle /g)?.length).toBe([m.heldOut, ...(m.baselines.shippedV1 ? [m.baselines.shippedV1] : [])].reduce((n, e) => n + e.reliability.filter((b) => b.count > 0).length, 0));
    const dir = mkdtempSync(join(tmpdir(), 'phototox-v1-'));
    try {
      cpSync(join(DEFAULT_PHOTOTOX_DIR, 'phototox-v1.json'), join(dir, 'phototox.json'));
      const v1 = loadPhototoxPredictor(dir);
      expect(v1.model.format).toBe('phototox-logistic/1');
      expect(() => phototoxWeightsSchema.parse({ ...v1.model, featureNames: [...v1.model.featureNames.slice(1), 'log_region_dose'] })).toThrow(/format-1/);
      const dish = new PhotodamageDish({ seed: 4 });
      const frames: ObservedFrame[] = [0, 1].map((i) => {
        dish.advanceTo(i * 120);
        const f = dish.expose({ powerMw: 20, wavelengthNm: 405 }, 100);
        return { pixels: f.raw, widthPx: f.widthPx, heightPx: f.heightPx, exposureMs: 100, powerPercent: 20, timeS: f.timeS };
      });
      const doses = frames.map((f) => ({ timeS: f.timeS, powerPercent: 20, exposureMs: 100, wavelengthNm: 405 }));
      const region = { x0Px: 40, y0Px: 40, sizePx: 24 };
      const seven = pickFeatures(regionFeatures(frames, doses, region), featureColumns(v1.model.featureNames));
      expect(seven).toHaveLength(7);
      expect(v1.regionRisk(frames, doses, region)).toBe(predictProbability(v1.model, seven));
      expect(v1.fieldRisk(frames, doses).tiles).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
