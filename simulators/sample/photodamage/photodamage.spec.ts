import { PhotodamageDish } from './photodamage-dish';
import { runFixedTimelapse } from './timelapse';

const HOUR_S = 3600;

describe('photodamage in the simulated dish', () => {
  it('keeps every cell healthy in the dark, and cells keep dividing', () => {
    const dish = new PhotodamageDish({ seed: 7 });
    const start = dish.truth().length;
    dish.advanceTo(2 * HOUR_S);
    const truth = dish.truth();
    expect(truth.every((c) => c.condition === 'healthy' && c.damage === 0)).toBe(true);
    expect(dish.mitoses().some((m) => m.endS !== undefined)).toBe(true);
    expect(truth.length).toBeGreaterThan(start);
  });

  it('stresses cells first and kills them later under sustained strong light', () => {
    const dish = new PhotodamageDish({ seed: 3 });
    const history = new Map<number, string[]>();
    for (let t = 0; t <= 2 * HOUR_S; t += 60) {
      dish.advanceTo(t);
      dish.expose({ powerMw: 60, wavelengthNm: 488 }, 100);
      for (const c of dish.truth()) history.set(c.id, [...(history.get(c.id) ?? []), c.condition]);
    }
    const died = [...history.values()].filter((h) => h[h.length - 1] === 'dead');
    expect(died.length).toBeGreaterThan(3);
    for (const h of died) expect(h.indexOf('stressed')).toBeGreaterThanOrEqual(0);
    for (const h of died) expect(h.indexOf('stressed')).toBeLessThan(h.indexOf('dead'));
  });

  it('harms more at shorter wavelengths and at higher power for the same dose', () => {
    const damageAfter = (powerMw: number, wavelengthNm: number, exposureMs: number) => {
      const dish = new PhotodamageDish({ seed: 11, params: { deathDamage: 1e9, stressDamage: 1e9 } });
      dish.expose({ powerMw, wavelengthNm }, exposureMs);
      return dish.truth().reduce((sum, c) => sum + c.damage, 0);
    };
    expect(damageAfter(20, 405, 100)).toBeGreaterThan(damageAfter(20, 488, 100) * 2);
    expect(damageAfter(20, 640, 100)).toBeLessThan(damageAfter(20, 488, 100) / 2);
    expect(damageAfter(80, 488, 25)).toBeGreaterThan(damageAfter(20, 488, 100) * 1.5);
  });

  it('kills more cells at shorter wavelengths for the same light, and fewer when the same dose is spread out', () => {
    const deadAfter = (wavelengthNm: number, intervalS: number, frames: number) => {
      const dish = new PhotodamageDish({ seed: 21, cellCount: 30 });
      for (let i = 0; i < frames; i++) {
        dish.advanceTo(i * intervalS);
        dish.expose({ powerMw: 30, wavelengthNm }, 100);
      }
      dish.advanceTo(frames * intervalS);
      return dish.truth().filter((c) => c.condition === 'dead').length;
    };
    const byWavelength = [405, 488, 561, 640].map((nm) => deadAfter(nm, 60, 120));
    expect(byWavelength[0]).toBeGreaterThan(byWavelength[1]);
    expect(byWavelength[1]).toBeGreaterThan(byWavelength[2]);
    expect(byWavelength[2]).toBeGreaterThanOrEqual(byWavelength[3]);
    // the same 120 exposures over 2 h instead of 30 min: repair between them saves cells
    expect(deadAfter(405, 60, 120)).toBeGreaterThan(0);
    expect(deadAfter(488, 15, 120)).toBeGreaterThan(deadAfter(488, 60, 120));
  });

  it('lets stressed cells recover in the dark, shows stress as rounding and dimming, and arrests their division', () => {
    const dish = new PhotodamageDish({ seed: 5, cellCount: 6, params: { deathDamage: 1e9 } });
    const brightnessOf = () => dish.expectedElectrons(1).reduce((s, v) => s + v, 0);
    const before = brightnessOf();
    for (let i = 0; i < 12; i++) dish.expose({ powerMw: 80, wavelengthNm: 488 }, 100);
    const stressed = dish.truth().filter((c) => c.condition === 'stressed');
    expect(stressed.length).toBeGreaterThan(0);
    expect(brightnessOf()).toBeLessThan(before * 0.95);
    const positions = new Map(stressed.map((c) => [c.id, c]));
    dish.advanceTo(dish.timeS + 600);
    for (const c of dish.truth().filter((t) => positions.has(t.id) && t.condition === 'stressed')) {
      expect(c.inMitosis).toBe(false);
    }
    dish.advanceTo(dish.timeS + 4 * HOUR_S);
    expect(
      dish
        .truth()
        .filter((c) => positions.has(c.id))
        .every((c) => c.condition === 'healthy'),
    ).toBe(true);
  });

  it('is deterministic from its seed: frames, ground truth and mitoses', () => {
    const run = (seed: number) => {
      const frames: number[] = [];
      const summary = runFixedTimelapse({
        dish: { seed },
        durationS: HOUR_S,
        intervalS: 300,
        light: { powerMw: 20, wavelengthNm: 488 },
        exposureMs: 100,
        onFrame: (frame) => frames.push(frame.raw.reduce((s, v) => s + v, 0)),
      });
      return { frames, truth: summary.dish.truth(), mitoses: summary.dish.mitoses() };
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42).frames).not.toEqual(run(43).frames);
  });

  it('bleaches the dye with the dose each cell receives', () => {
    const dish = new PhotodamageDish({ seed: 9, params: { deathDamage: 1e9, stressDamage: 1e9 } });
    for (let i = 0; i < 10; i++) dish.expose({ powerMw: 100, wavelengthNm: 561 }, 300);
    const truth = dish.truth();
    expect(truth.every((c) => c.fluorescenceRemaining < 1)).toBe(true);
    const central = truth.reduce((a, b) => (Math.hypot(a.xUm, a.yUm) < Math.hypot(b.xUm, b.yUm) ? a : b));
    const outer = truth.reduce((a, b) => (Math.hypot(a.xUm, a.yUm) > Math.hypot(b.xUm, b.yUm) ? a : b));
    expect(central.fluorescenceRemaining).toBeLessThan(outer.fluorescenceRemaining);
  });
});
