import { Random } from './random';
import { moments } from './spec-helpers';

function poissonPmf(mean: number, k: number): number {
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return Math.exp(-mean + k * Math.log(mean) - logFactorial);
}

describe('seeded random numbers', () => {
  it('fills buffers with the same sequence it draws one by one', () => {
    const bulk = new Uint32Array(1000);
    new Random(5).fillUint32(bulk);
    const single = new Random(5);
    const drawn = Array.from({ length: 1000 }, () => single.nextUint32());
    expect(Array.from(bulk)).toEqual(drawn);
  });

  it('repeats its sequence for a seed and changes it with the seed', () => {
    const draws = (seed: number) =>
      Array.from(
        { length: 8 },
        (
          (random) => () =>
            random.nextUint32()
        )(new Random(seed)),
      );
    expect(draws(1)).toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));
  });

  it('draws standard normals with the right moments and tails', () => {
    const random = new Random(3);
    const values = Float64Array.from({ length: 400_000 }, () => random.normal());
    const stats = moments(values);
    expect(Math.abs(stats.mean)).toBeLessThan(5 / Math.sqrt(values.length));
    expect(Math.abs(stats.variance - 1)).toBeLessThan(5 * stats.varianceStandardError);
    // P(|z| > 3.5) = 4.65e-4: about 186 of 400 000 draws (Poisson sd 14); these come from the exact tail sampler.
    const beyond = values.filter((z) => Math.abs(z) > 3.5).length;
    expect(Math.abs(beyond - 186)).toBeLessThan(5 * 14);
  });

  it.each([0.3, 0.84, 2.5, 17.3, 29.9])('draws Poisson counts of mean %p with the exact distribution', (mean) => {
    const random = new Random(Math.round(mean * 1000));
    const draws = 200_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const k = random.poisson(mean);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // Pearson's chi-square over counts with at least 20 expected, the rest pooled in one bin.
    let chiSquare = 0;
    let bins = 0;
    let pooledObserved = draws;
    let pooledExpected = draws;
    for (let k = 0; k < 200; k++) {
      const expected = draws * poissonPmf(mean, k);
      if (expected < 20) continue;
      const observed = counts.get(k) ?? 0;
      chiSquare += (observed - expected) ** 2 / expected;
      bins++;
      pooledObserved -= observed;
      pooledExpected -= expected;
    }
    chiSquare += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
    // Degrees of freedom = bins; the 99.9 % quantile of chi-square is below dof + 3.3·sqrt(2·dof) + 10 here.
    expect(chiSquare).toBeLessThan(bins + 3.3 * Math.sqrt(2 * bins) + 10);
  });

  it.each([30, 250, 5000])('approximates Poisson counts of mean %p with the right mean and variance', (mean) => {
    const random = new Random(mean);
    const values = Float64Array.from({ length: 200_000 }, () => random.poisson(mean));
    const stats = moments(values);
    expect(values.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    expect(Math.abs(stats.mean - mean)).toBeLessThan(5 * Math.sqrt(mean / values.length));
    // Normal approximation with continuity correction: variance mean + 1/12.
    expect(Math.abs(stats.variance - (mean + 1 / 12))).toBeLessThan(5 * stats.varianceStandardError);
  });

  it('returns zero counts for zero, negative or missing means', () => {
    const random = new Random(1);
    expect([0, -3, Number.NaN].map((mean) => random.poisson(mean))).toEqual([0, 0, 0]);
  });
});
