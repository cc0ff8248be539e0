/** A focus score measured at one z. */
export interface FocusSample {
  readonly zUm: number;
  readonly score: number;
}

export interface FocusPeak {
  /** Best focus: the vertex of the parabola through the highest sample and its neighbours, µm. */
  readonly zUm: number;
  /** The highest sample's position in the sorted samples. */
  readonly index: number;
  /** The highest sample lies at the first or last z: the true peak may lie outside the scanned range. */
  readonly atEdge: boolean;
  /** (max − min) / max of the scores: how clearly the scan saw a peak at all. */
  readonly contrast: number;
}

export class NoFocusSamplesError extends Error {
  override readonly name = 'NoFocusSamplesError';
}

/**
 * The peak of a focus curve. A parabola through three points needs no equal spacing; the vertex is clamped to
 * the neighbours' span, since a parabola fitted to a flat top may put it far away.
 */
export function findFocusPeak(samples: readonly FocusSample[]): FocusPeak {
  if (samples.length === 0) throw new NoFocusSamplesError('findFocusPeak: no focus samples to find a peak in');
  const sorted = [...samples].sort((a, b) => a.zUm - b.zUm);
  let index = 0;
  let min = Infinity;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].score > sorted[index].score) index = i;
    min = Math.min(min, sorted[i].score);
  }
  const max = sorted[index].score;
  const contrast = max > 0 ? (max - min) / max : 0;
  const atEdge = sorted.length > 1 && (index === 0 || index === sorted.length - 1);
  if (sorted.length < 3 || atEdge) return { zUm: sorted[index].zUm, index, atEdge, contrast };
  return { zUm: parabolaVertex(sorted[index - 1], sorted[index], sorted[index + 1]), index, atEdge, contrast };
}

/** z of the vertex of the parabola through three samples (b the highest), clamped to [a.zUm, c.zUm]. */
export function parabolaVertex(a: FocusSample, b: FocusSample, c: FocusSample): number {
  const left = b.zUm - a.zUm;
  const right = b.zUm - c.zUm;
  const numerator = left * left * (b.score - c.score) - right * right * (b.score - a.score);
  const denominator = left * (b.score - c.score) - right * (b.score - a.score);
  if (denominator === 0 || !Number.isFinite(numerator / denominator)) return b.zUm;
  return Math.min(c.zUm, Math.max(a.zUm, b.zUm - numerator / (2 * denominator)));
}
