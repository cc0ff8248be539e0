import { PhotodamageDish } from '../../../simulators/sample/photodamage';
import { PHOTOTOX_FEATURE_NAMES, regionFeatures, type DoseEvent, type ObservedFrame, type Region } from './phototox-features';
import { loadPhototoxPredictor } from './phototox-predictor';
import { predictProbability } from './phototox-model';
import { wavelengthToxicity } from './wavelength-toxicity';

/**
 * The features by their plain definition (as they were trained: a sort for the background, every value computed
 * per pixel as float32): the fast path must give the very same numbers, not nearly the same.
 */
function definitionFeatures(frames: readonly ObservedFrame[], doses: readonly DoseEvent[], region: Region): number[] {
  const settings = { repairTimeS: 3600, doseRateReferencePercent: 25 };
  const newest = frames[frames.length - 1];
  let dose = 0;
  let weighted = 0;
  let toxicAmount = 0;
  let toxic = 0;
  let lastHalfHour = 0;
  for (const d of doses) {
    const amount = d.powerPercent * (d.exposureMs / 1000);
    const w = amount * (1 + d.powerPercent / settings.doseRateReferencePercent) * Math.exp(-Math.max(0, newest.timeS - d.timeS) / settings.repairTimeS);
    dose += amount;
    weighted += w;
    toxicAmount += wavelengthToxicity(d.wavelengthNm ?? 488) * amount;
    toxic += wavelengthToxicity(d.wavelengthNm ?? 488) * w;
    if (newest.timeS - d.timeS <= 1800) lastHalfHour += amount;
  }
  const values = (frame: ObservedFrame) => {
    const sorted = Float32Array.from(frame.pixels).sort();
    const background = sorted[Math.floor(sorted.length * 0.05)];
    const light = frame.powerPercent * (frame.exposureMs / 1000);
    const perDose = light > 0 ? 1 / light : NaN;
    const x0 = Math.max(0, Math.min(frame.widthPx - 1, region.x0Px));
    const y0 = Math.max(0, Math.min(frame.heightPx - 1, region.y0Px));
    const x1 = Math.min(frame.widthPx, x0 + region.sizePx);
    const y1 = Math.min(frame.heightPx, y0 + region.sizePx);
    const out = new Float32Array((x1 - x0) * (y1 - y0));
    let k = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out[k++] = (frame.pixels[y * frame.widthPx + x] - background) * perDose;
    const w = x1 - x0;
    let sum = 0;
    for (const v of out) sum += v;
    const mean = sum / out.length;
    let foreground = 0;
    let texture = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i] > mean * 0.5) foreground++;
      if (i % w > 0) texture += Math.abs(out[i] - out[i - 1]);
    }
    return { out, mean, foreground: foreground / out.length, texture: texture / out.length };
  };
  const now = values(newest);
  const then = values(frames[0]);
  const before = values(frames.length > 1 ? frames[frames.length - 2] : newest);
  let change = 0;
  for (let i = 0; i < now.out.length; i++) change += Math.abs(now.out[i] - before.out[i]);
  const ratio = (a: number, b: number) => (!Number.isFinite(a) || !Number.isFinite(b) ? NaN : Math.max(0, Math.min(3, a / (Math.abs(b) > 1e-9 ? b : 1e-9))));
  const cx = (region.x0Px + region.sizePx / 2) / newest.widthPx - 0.5;
  const cy = (region.y0Px + region.sizePx / 2) / newest.heightPx - 0.5;
  const scale = Math.max(1e-9, Math.abs(now.mean) + Math.abs(before.mean));
  const flat = Math.exp(-(cx * cx + cy * cy) / (2 * 0.6 * 0.6));
  return [
    Math.log1p(dose),
    Math.log1p(weighted),
    cx * cx + cy * cy,
    ratio(now.mean, then.mean),
    ratio(now.foreground, then.foreground),
    ratio(now.texture / Math.max(1e-9, Math.abs(now.mean)), then.texture / Math.max(1e-9, Math.abs(then.mean))),
    frames.length > 1 ? 1 - Math.min(1, change / now.out.length / scale) : 0.5,
    Math.log(dose > 0 ? toxicAmount / dose : 1),
    Math.log1p(flat * dose),
    Math.log1p(flat * toxic),
    Math.log1p(flat * (doses.at(-1)?.powerPercent ?? 0)),
    Math.log1p(flat * lastHalfHour * 2),
  ];
}

function dishFrames(sizePx: number, powers: readonly number[], wavelengthNm = 488): ObservedFrame[] {
  const dish = new PhotodamageDish({ seed: 5, cellCount: Math.round(14 * (sizePx / 128) ** 2), camera: { widthPx: sizePx, heightPx: sizePx } });
  return powers.map((powerPercent, i) => {
    dish.advanceTo(i * 90);
    const frame = dish.expose({ powerMw: powerPercent, wavelengthNm }, 80);
    return { pixels: frame.raw, widthPx: sizePx, heightPx: sizePx, exposureMs: 80, powerPercent, timeS: frame.timeS };
  });
}

describe('the phototoxicity features, fast', () => {
  const frames = dishFrames(160, [6, 9, 4, 12]);
  const doses: DoseEvent[] = frames.map((f, i) => ({ timeS: f.timeS, powerPercent: f.powerPercent, exposureMs: f.exposureMs, ...(i % 2 ? { wavelengthNm: 561 } : {}) }));
  const regions: Region[] = [
    { x0Px: 0, y0Px: 0, sizePx: 32 },
    { x0Px: 37, y0Px: 81, sizePx: 24 },
    { x0Px: 150, y0Px: 140, sizePx: 32 },
  ];

  it('are the very numbers of their plain definition, on camera frames, float frames and unlit frames', () => {
    const histories: ObservedFrame[][] = [
      [frames[0], frames[2], frames[3]],
      [frames[1], frames[1]],
      [frames[3]],
      frames.map((f) => ({ ...f, pixels: Float32Array.from(f.pixels, (v) => v * 0.731 - 3) })).slice(1),
      [frames[0], { ...frames[1], powerPercent: 0 }, frames[2]],
    ];
    for (const history of histories) for (const region of regions) expect(regionFeatures(history, doses, region)).toEqual(definitionFeatures(history, doses, region));
  });

  it('give the field risk of the plain definition, tile by tile', () => {
    const predictor = loadPhototoxPredictor();
    const history = [frames[0], frames[2], frames[3]];
    const newest = history[2];
    const tiles: Array<{ region: Region; mean: number }> = [];
    for (let y = 0; y + 32 <= newest.heightPx; y += 32) {
      for (let x = 0; x + 32 <= newest.widthPx; x += 32) {
        let sum = 0;
        for (let yy = y; yy < y + 32; yy++) for (let xx = x; xx < x + 32; xx++) sum += newest.pixels[yy * newest.widthPx + xx];
        tiles.push({ region: { x0Px: x, y0Px: y, sizePx: 32 }, mean: sum / 1024 });
      }
    }
    const median = tiles.map((t) => t.mean).sort((a, b) => a - b)[Math.floor(tiles.length / 2)];
    const risks = tiles.filter((t) => t.mean >= median).map((t) => predictProbability(predictor.model, definitionFeatures(history, doses, t.region)));
    expect(predictor.fieldRisk(history, doses)).toEqual({
      meanRisk: risks.reduce((s, r) => s + r, 0) / risks.length,
      maxRisk: Math.max(...risks),
      tiles: risks.length,
    });
  });
});

describe('the phototoxicity features of light', () => {
  const frames = dishFrames(96, [10, 10, 10]);
  const centre: Region = { x0Px: 36, y0Px: 36, sizePx: 24 };
  const edge: Region = { x0Px: 0, y0Px: 0, sizePx: 24 };
  const feature = (doses: readonly DoseEvent[], name: (typeof PHOTOTOX_FEATURE_NAMES)[number], region = centre) =>
    regionFeatures(frames, doses, region)[PHOTOTOX_FEATURE_NAMES.indexOf(name)];
  /** `count` exposures of `powerPercent` for `exposureMs`, `intervalS` apart, ending at the newest frame. */
  const history = (count: number, powerPercent: number, exposureMs: number, intervalS: number, wavelengthNm?: number): DoseEvent[] => {
    const endS = frames[frames.length - 1].timeS;
    return Array.from({ length: count }, (_, i) => ({ timeS: endS - (count - 1 - i) * intervalS, powerPercent, exposureMs, ...(wavelengthNm ? { wavelengthNm } : {}) }));
  };

  it('weigh violet light above blue, blue above green and red, for the same dose; no wavelength reads as 488 nm', () => {
    const toxic = [405, 488, 561, 640].map((nm) => feature(history(10, 20, 100, 60, nm), 'log_region_toxic_dose'));
    for (let i = 1; i < toxic.length; i++) expect(toxic[i]).toBeLessThan(toxic[i - 1]);
    const weight = [405, 488, 640].map((nm) => feature(history(10, 20, 100, 60, nm), 'log_wavelength_toxicity'));
    expect(weight[0]).toBeGreaterThan(weight[1]);
    expect(weight[1]).toBeCloseTo(0, 12);
    expect(weight[2]).toBeLessThan(weight[1]);
    expect(regionFeatures(frames, history(10, 20, 100, 60), centre)).toEqual(regionFeatures(frames, history(10, 20, 100, 60, 488), centre));
    const unknown = history(10, 20, 100, 60).map((d) => ({ ...d, wavelengthNm: Number.NaN }));
    expect(regionFeatures(frames, unknown, centre)).toEqual(regionFeatures(frames, history(10, 20, 100, 60, 488), centre));
    // the plain dose does not depend on colour
    expect(feature(history(10, 20, 100, 60, 405), 'log_region_dose')).toBe(feature(history(10, 20, 100, 60, 640), 'log_region_dose'));
  });

  it('tell the same dose given faster (higher power, or closer together) from the same dose given slowly', () => {
    const slow = history(10, 10, 200, 300);
    const brighter = history(10, 40, 50, 300);
    const closer = history(10, 10, 200, 60);
    expect(feature(brighter, 'log_region_dose')).toBeCloseTo(feature(slow, 'log_region_dose'), 12);
    expect(feature(brighter, 'log_region_power')).toBeGreaterThan(feature(slow, 'log_region_power'));
    expect(feature(brighter, 'log_region_toxic_dose')).toBeGreaterThan(feature(slow, 'log_region_toxic_dose'));
    expect(feature(closer, 'log_region_dose_per_hour')).toBeGreaterThan(feature(slow, 'log_region_dose_per_hour'));
    // less repair time since the light: more of it still counts
    expect(feature(closer, 'log_region_toxic_dose')).toBeGreaterThan(feature(slow, 'log_region_toxic_dose'));
  });

  it('count the dose per region: a region at the edge of the flat field had less than one at the centre', () => {
    const doses = history(10, 20, 100, 60, 488);
    for (const name of ['log_region_dose', 'log_region_toxic_dose', 'log_region_power', 'log_region_dose_per_hour'] as const) {
      expect(feature(doses, name, edge)).toBeLessThan(feature(doses, name, centre));
    }
    expect(feature(doses, 'log_dose', edge)).toBe(feature(doses, 'log_dose', centre));
  });

  it('make the shipped model fear violet more than red, and fast light more than slow, for the same frames', () => {
    const predictor = loadPhototoxPredictor();
    const risk = (doses: readonly DoseEvent[]) => predictor.regionRisk(frames, doses, centre);
    expect(risk(history(20, 20, 100, 120, 405))).toBeGreaterThan(risk(history(20, 20, 100, 120, 640)));
    expect(risk(history(20, 40, 50, 120, 488))).toBeGreaterThan(risk(history(20, 10, 200, 120, 488)));
  });
});
