/** A point to score: frame and lateral position, nm. */
export interface ScoredPoint {
  readonly frame: number;
  readonly xNm: number;
  readonly yNm: number;
}

export interface DetectionScore {
  readonly toleranceNm: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** TP / (TP + FP + FN). */
  readonly jaccard: number;
  readonly recall: number;
  readonly precision: number;
  /** Root-mean-square lateral distance of matched pairs, nm. */
  readonly rmseNm: number;
  /** Mean signed offsets of matched pairs (predicted minus true): a bias from a coordinate convention shows here. */
  readonly meanDxNm: number;
  readonly meanDyNm: number;
}

function groupByFrame<T extends ScoredPoint>(points: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const p of points) {
    const list = map.get(p.frame);
    if (list) list.push(p);
    else map.set(p.frame, [p]);
  }
  return map;
}

/**
 * Pairs predictions with ground truth frame by frame, one-to-one, within `toleranceNm`: candidate pairs are taken
 * in order of increasing distance (a greedy approximation of the optimal assignment that the SMLM challenge
 * solves with the Hungarian algorithm; the two differ only where several pairs compete within the tolerance).
 */
export function scoreLocalisations(predicted: readonly ScoredPoint[], truth: readonly ScoredPoint[], toleranceNm: number): DetectionScore {
  const predictedByFrame = groupByFrame(predicted);
  const truthByFrame = groupByFrame(truth);
  let tp = 0;
  let sumSq = 0;
  let sumDx = 0;
  let sumDy = 0;
  const tol2 = toleranceNm * toleranceNm;
  for (const [frame, truths] of truthByFrame) {
    const preds = predictedByFrame.get(frame);
    if (!preds) continue;
    const pairs: Array<[number, number, number]> = [];
    // Sort truths by x so each prediction only scans a window of ±tolerance.
    const order = truths.map((t, i) => i).sort((a, b) => truths[a].xNm - truths[b].xNm);
    const xs = order.map((i) => truths[i].xNm);
    preds.forEach((p, pi) => {
      let lo = 0;
      let hi = xs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (xs[mid] < p.xNm - toleranceNm) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < xs.length && xs[k] <= p.xNm + toleranceNm; k++) {
        const t = truths[order[k]];
        const d2 = (t.xNm - p.xNm) ** 2 + (t.yNm - p.yNm) ** 2;
        if (d2 <= tol2) pairs.push([d2, pi, order[k]]);
      }
    });
    pairs.sort((a, b) => a[0] - b[0]);
    const usedP = new Uint8Array(preds.length);
    const usedT = new Uint8Array(truths.length);
    for (const [d2, pi, ti] of pairs) {
      if (usedP[pi] || usedT[ti]) continue;
      usedP[pi] = 1;
      usedT[ti] = 1;
      tp++;
      sumSq += d2;
      sumDx += preds[pi].xNm - truths[ti].xNm;
      sumDy += preds[pi].yNm - truths[ti].yNm;
    }
  }
  const fp = predicted.length - tp;
  const fn = truth.length - tp;
  return {
    toleranceNm,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    jaccard: tp + fp + fn > 0 ? tp / (tp + fp + fn) : 1,
    recall: truth.length > 0 ? tp / truth.length : 1,
    precision: predicted.length > 0 ? tp / predicted.length : 1,
    rmseNm: tp > 0 ? Math.sqrt(sumSq / tp) : 0,
    meanDxNm: tp > 0 ? sumDx / tp : 0,
    meanDyNm: tp > 0 ? sumDy / tp : 0,
  };
}
