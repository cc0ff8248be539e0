/** Area under the ROC curve: the chance that a random positive scores above a random negative (ties count half). */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]]) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** One equal-width probability bin of a reliability curve; the means are null in an empty bin. */
export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number | null;
  readonly observedFrequency: number | null;
}

/** The reliability curve: per equal-width bin of predicted probability, the mean prediction and the observed rate. */
export function reliabilityCurve(probabilities: readonly number[], labels: readonly boolean[], bins = 10): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  probabilities.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]++;
    sumP[b] += p;
    sumY[b] += labels[i] ? 1 : 0;
  });
  return count.map((n, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: n,
    meanPredicted: n ? sumP[b] / n : null,
    observedFrequency: n ? sumY[b] / n : null,
  }));
}

/** Expected calibration error over equal-width probability bins: Σ (n_bin / n) · |mean p − observed rate|. */
export function expectedCalibrationError(probabilities: readonly number[], labels: readonly boolean[], bins = 10): number {
  let ece = 0;
  for (const bin of reliabilityCurve(probabilities, labels, bins)) {
    if (bin.count) ece += (bin.count / probabilities.length) * Math.abs(bin.meanPredicted! - bin.observedFrequency!);
  }
  return ece;
}

/** Brier score: the mean squared difference between probability and outcome (0 perfect; 0.25 for a constant ½). */
export function brierScore(probabilities: readonly number[], labels: readonly boolean[]): number {
  let sum = 0;
  probabilities.forEach((p, i) => (sum += (p - (labels[i] ? 1 : 0)) ** 2));
  return sum / probabilities.length;
}
