import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PhotodamageDish } from '../../../simulators/sample/photodamage';
import { seededUniform } from '../policy/illumination-policy';
import { DEFAULT_MITOSIS_DETECTOR, detectMitosis } from './mitosis-detector';
import { DEFAULT_MITOSIS_EVENTS, MitosisEvents, type MitosisEvent, type TimedFrame } from './mitosis-events';

const SIZE = 128;

interface Disk {
  readonly xPx: number;
  readonly yPx: number;
  readonly radiusPx: number;
  /** Photo-electrons per pixel inside, per unit dose. */
  readonly level: number;
}

/** A camera frame of soft-edged disks on a background, with shot and read noise (seeded). */
function syntheticFrame(disks: readonly Disk[], doseUnits: number, seed: number): Uint16Array {
  const uniform = seededUniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const pixels = new Uint16Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let electrons = 2 * doseUnits;
      for (const d of disks) {
        const r = Math.hypot(x + 0.5 - d.xPx, y + 0.5 - d.yPx);
        electrons += d.level * doseUnits * Math.min(1, Math.max(0, (d.radiusPx - r) / 2 + 0.5));
      }
      pixels[y * SIZE + x] = Math.max(0, Math.round(100 + electrons + Math.sqrt(electrons + 2.25) * normal()));
    }
  }
  return pixels;
}

function near(event: MitosisEvent, xPx: number, yPx: number, withinPx: number): boolean {
  return Math.hypot(event.xPx - xPx, event.yPx - yPx) <= withinPx;
}

describe('mitosis detector and its events', () => {
  // a field of still cells, one that divides (rounds up small and dim, then two daughters), one that crawls
  const still: Disk[] = [
    { xPx: 24, yPx: 24, radiusPx: 9, level: 40 },
    { xPx: 104, yPx: 24, radiusPx: 10, level: 30 },
    { xPx: 24, yPx: 104, radiusPx: 8, level: 45 },
  ];
  const dividing = (k: number): Disk[] =>
    k < 4
      ? [{ xPx: 64, yPx: 64, radiusPx: 9, level: 40 }]
      : k < 8
        ? [{ xPx: 64, yPx: 64, radiusPx: 5, level: 55 }]
        : [
            { xPx: 57, yPx: 64, radiusPx: 8, level: 40 },
            { xPx: 71, yPx: 64, radiusPx: 8, level: 40 },
          ];
  const crawler = (k: number): Disk => ({ xPx: 70 + 3 * k, yPx: 104, radiusPx: 9, level: 40 });
  const frames: TimedFrame[] = Array.from({ length: 12 }, (_, k) => {
    // the agent changes the light between frames: the detector reads light per unit dose
    const doseUnits = [0.6, 1, 2][k % 3];
    return {
      pixels: syntheticFrame([...still, ...dividing(k), crawler(k)], doseUnits, 100 + k),
      widthPx: SIZE,
      heightPx: SIZE,
      doseUnits,
      timeS: 120 * k,
    };
  });

  it('finds the division as one event where it happened, and none for the crawling cell', () => {
    const events = new MitosisEvents();
    const started = frames.flatMap((frame) => events.observe(frame).started);
    expect(started).toHaveLength(1);
    expect(started[0].startS).toBe(frames[8].timeS);
    expect(near(started[0], 64, 64, 16)).toBe(true);
  });

  it('scores the division far above anything in the frames without one', () => {
    const scores = frames.slice(1).map((frame, k) => detectMitosis(frames[k], frame).ratio);
    const division = scores[7];
    const others = scores.filter((_, k) => k !== 7);
    expect(division).toBeGreaterThan(DEFAULT_MITOSIS_DETECTOR.ratio);
    expect(Math.max(...others)).toBeLessThan(DEFAULT_MITOSIS_DETECTOR.ratio);
  });

  it('starts no events in a simulated dish whose cells only crawl (no cell cycle), at 6 % light, 2-minute frames', () => {
    const dish = new PhotodamageDish({ seed: 8, params: { cycleS: [1e9, 1e9] } });
    const events = new MitosisEvents();
    let started = 0;
    for (let t = 0; t <= 7200; t += 120) {
      dish.advanceTo(t);
      const frame = dish.expose({ powerMw: 6, wavelengthNm: 488 }, 100);
      started += events.observe({ pixels: frame.raw, widthPx: SIZE, heightPx: SIZE, doseUnits: 0.6, timeS: frame.timeS }).started.length;
    }
    expect(dish.mitoses()).toHaveLength(0);
    expect(started).toBe(0);
  });

  it('has the defaults of its package, models/mitosis-detector/detector.json', () => {
    const file = join(__dirname, '..', '..', '..', 'models', 'mitosis-detector', 'detector.json');
    const chosen = JSON.parse(readFileSync(file, 'utf8')) as { detector: unknown; events: unknown };
    expect(DEFAULT_MITOSIS_DETECTOR).toEqual(chosen.detector);
    expect(DEFAULT_MITOSIS_EVENTS).toEqual(chosen.events);
  });
});
