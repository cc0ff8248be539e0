/**
 * How harmful light of a wavelength is per unit of light, relative to 488 nm: the predictor's prior, not a
 * measurement of the specimen. Live-cell studies agree on the order and the rough size: near-UV and violet light
 * damage far more than blue, green and red far less (Wäldchen et al. 2015, Sci. Rep. 5:15348; Laissue et al. 2017,
 * Nat. Methods 14:657; Icha et al. 2017, BioEssays 39:1700003). The model learns how much this weight matters.
 */
export const WAVELENGTH_TOXICITY_PRIOR: ReadonlyArray<readonly [number, number]> = [
  [355, 8],
  [405, 5],
  [488, 1],
  [561, 0.3],
  [640, 0.1],
  [750, 0.05],
];

/** The prior weight at `wavelengthNm`, interpolated in log weight, clamped at the table's ends; NaN for no wavelength. */
export function wavelengthToxicity(wavelengthNm: number): number {
  const table = WAVELENGTH_TOXICITY_PRIOR;
  if (!Number.isFinite(wavelengthNm)) return NaN;
  if (wavelengthNm <= table[0][0]) return table[0][1];
  for (let i = 1; i < table.length; i++) {
    const [nm, weight] = table[i];
    if (wavelengthNm <= nm) {
      const [nm0, weight0] = table[i - 1];
      const f = (wavelengthNm - nm0) / (nm - nm0);
      return Math.exp(Math.log(weight0) + f * (Math.log(weight) - Math.log(weight0)));
    }
  }
  return table[table.length - 1][1];
}
