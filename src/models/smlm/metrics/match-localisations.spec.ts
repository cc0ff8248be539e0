import { scoreLocalisations } from './match-localisations';

describe('scoring localisations against ground truth', () => {
  it('pairs one-to-one within the tolerance, frame by frame', () => {
    const truth = [
      { frame: 0, xNm: 100, yNm: 100 },
      { frame: 0, xNm: 500, yNm: 100 },
      { frame: 1, xNm: 100, yNm: 100 },
    ];
    const predicted = [
      { frame: 0, xNm: 110, yNm: 100 }, // matches the first
      { frame: 0, xNm: 120, yNm: 100 }, // second claim on the same truth: false positive
      { frame: 1, xNm: 100, yNm: 350 }, // beyond 100 nm: false positive, truth missed
      { frame: 2, xNm: 0, yNm: 0 }, // frame without truth
    ];
    const s = scoreLocalisations(predicted, truth, 100);
    expect(s.truePositives).toBe(1);
    expect(s.falsePositives).toBe(3);
    expect(s.falseNegatives).toBe(2);
    expect(s.jaccard).toBeCloseTo(1 / 6);
    expect(s.recall).toBeCloseTo(1 / 3);
    expect(s.precision).toBeCloseTo(1 / 4);
    expect(s.rmseNm).toBeCloseTo(10);
    expect(s.meanDxNm).toBeCloseTo(10);
  });

  it('prefers the closest pairs when candidates compete', () => {
    const truth = [{ frame: 0, xNm: 0, yNm: 0 }, { frame: 0, xNm: 60, yNm: 0 }];
    const predicted = [{ frame: 0, xNm: 55, yNm: 0 }, { frame: 0, xNm: 5, yNm: 0 }];
    const s = scoreLocalisations(predicted, truth, 100);
    expect(s.truePositives).toBe(2);
    expect(s.rmseNm).toBeCloseTo(5);
  });
});
