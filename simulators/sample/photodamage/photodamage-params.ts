/**
 * The knobs of the photodamage model, with defaults that make a 2-hour time-lapse at high light visibly harmful
 * and one at low light harmless. Damage is counted in "effective mW·s": light dose weighted by wavelength and by
 * how intense it was (the same dose delivered faster harms more, as reported for live-cell imaging).
 */
export interface PhotodamageParams {
  /** Relative phototoxicity per wavelength, nm → weight (interpolated linearly, clamped at the ends); 488 nm = 1. */
  readonly wavelengthWeights: ReadonlyArray<readonly [number, number]>;
  /** Dose-rate dependence: damage per mW·s grows as 1 + powerMw / this. */
  readonly doseRateReferenceMw: number;
  /** Cells repair damage with this time constant, s (damage decays exponentially in the dark). */
  readonly repairTimeS: number;
  /** Damage at which a cell of sensitivity 1 becomes stressed (reversible), effective mW·s. */
  readonly stressDamage: number;
  /** A stressed cell recovers when its damage falls below this fraction of its stress threshold. */
  readonly recoveryFraction: number;
  /** Damage at which a cell of sensitivity 1 dies (irreversible), effective mW·s. */
  readonly deathDamage: number;
  /** Spread of cell sensitivity: log-normal sigma. */
  readonly sensitivitySigma: number;
  /** Cell cycle length range, s; each cell starts at a random point of its cycle. */
  readonly cycleS: readonly [number, number];
  /** How long a mitosis (rounded, condensed, then splitting) lasts, s. */
  readonly mitosisDurationS: number;
  /** Mean crawling speed of a healthy cell, µm/s. */
  readonly speedUmPerS: number;
  /** Illumination dose (mW·s) that bleaches half a cell's fluorophores. */
  readonly bleachHalfDoseMwS: number;
  /** Illumination falls off from the field centre as a Gaussian of this sigma, relative to the field side. */
  readonly illuminationSigmaFraction: number;
}

export const DEFAULT_PHOTODAMAGE_PARAMS: PhotodamageParams = {
  wavelengthWeights: [
    [365, 6],
    [405, 4],
    [488, 1],
    [561, 0.35],
    [640, 0.12],
  ],
  doseRateReferenceMw: 25,
  repairTimeS: 3600,
  stressDamage: 50,
  recoveryFraction: 0.7,
  deathDamage: 280,
  sensitivitySigma: 0.3,
  cycleS: [4 * 3600, 7 * 3600],
  mitosisDurationS: 1200,
  speedUmPerS: 0.008,
  bleachHalfDoseMwS: 600,
  illuminationSigmaFraction: 0.6,
};

/** Phototoxicity weight of light at `wavelengthNm` (488 nm = 1). */
export function wavelengthWeight(params: PhotodamageParams, wavelengthNm: number): number {
  const table = params.wavelengthWeights;
  if (!(wavelengthNm > table[0][0])) return table[0][1];
  for (let i = 1; i < table.length; i++) {
    const [nm, weight] = table[i];
    if (wavelengthNm <= nm) {
      const [nm0, weight0] = table[i - 1];
      return weight0 + ((weight - weight0) * (wavelengthNm - nm0)) / (nm - nm0);
    }
  }
  return table[table.length - 1][1];
}
