import { createSpecimen, SpecimenInputError } from './index';
import { sum, testCamera, testConditions } from './spec-helpers';

const camera = testCamera({ widthPx: 96, heightPx: 96, pixelSizeUm: 0.65 });
// A field over the middle of the dish, where 64 cells in 400 × 400 µm leave few fields empty.
const conditions = testConditions({ stageXUm: 20, stageYUm: -30, illuminationPowerMw: 5 });

function framesOf(seed: number, count: number): Uint16Array[] {
  const specimen = createSpecimen({ seed });
  return Array.from({ length: count }, (_, i) => specimen.render({ ...conditions, timeS: i }, camera));
}

describe('determinism of the virtual specimen', () => {
  it('renders the same frames, noise included, from the same seed', () => {
    const first = framesOf(7, 3);
    const second = framesOf(7, 3);
    first.forEach((frame, i) => expect(Buffer.from(frame.buffer).equals(Buffer.from(second[i].buffer))).toBe(true));
  });

  it('draws fresh noise for every frame of one specimen', () => {
    const [a, b] = framesOf(7, 2);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(false);
  });

  it('lays out other cells and draws other noise for another seed', () => {
    const [a] = framesOf(7, 1);
    const [b] = framesOf(8, 1);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(false);
    const truthA = createSpecimen({ seed: 7 }).expectedElectrons(conditions, camera);
    const truthB = createSpecimen({ seed: 8 }).expectedElectrons(conditions, camera);
    let differing = 0;
    for (let i = 0; i < truthA.length; i++) if (Math.abs(truthA[i] - truthB[i]) > 1e-3 * (truthA[i] + truthB[i])) differing++;
    expect(differing).toBeGreaterThan(truthA.length / 10);
  });

  it('gives a ground truth that is the mean of the frames', () => {
    const specimen = createSpecimen({ seed: 3, bleachHalfDoseMwS: Infinity });
    const truth = specimen.expectedElectrons(conditions, camera);
    expect(sum(truth)).toBeGreaterThan(0);
    const frames = 20;
    const meanAdu = new Float64Array(truth.length);
    for (let f = 0; f < frames; f++) specimen.render(conditions, camera).forEach((adu, i) => (meanAdu[i] += adu / frames));
    const meanElectrons = (sum(meanAdu) / truth.length - camera.offsetAdu) / camera.gainAduPerElectron;
    expect(meanElectrons).toBeCloseTo(sum(truth) / truth.length, 1);
  });

  it('refuses conditions it cannot render, naming the field', () => {
    const specimen = createSpecimen({ seed: 1 });
    expect(() => specimen.render({ ...conditions, numericalAperture: 0 }, camera)).toThrow(SpecimenInputError);
    expect(() => specimen.render(conditions, { ...camera, widthPx: 10.5 })).toThrow(/camera\.widthPx/);
    expect(() => specimen.render(conditions, { ...camera, bitDepth: 17 })).toThrow(/camera\.bitDepth/);
    expect(() => specimen.render(conditions, camera, new Uint16Array(5))).toThrow(/out holds 5 pixels/);
    expect(() => createSpecimen({ seed: 1, bleachHalfDoseMwS: 0 })).toThrow(/bleachHalfDoseMwS/);
  });
});
