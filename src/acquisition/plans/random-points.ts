import { randomInt } from 'node:crypto';
import { Mt19937 } from './mt19937';
import type { RandomPoints, TraversalOrder } from './plan-types';

type Point = readonly [x: number, y: number];

// useq gives up looking for non-overlapping points after this many candidates.
const MAX_CANDIDATES = 10000;

/**
 * The points of a RandomPoints plan, relative to the position, in visiting order: useq's algorithm step by step
 * (numpy's legacy generator, then nearest-neighbour or 2-opt ordering) so a seeded plan gives useq's points.
 * An unseeded plan draws a seed once per call.
 */
export function randomPointsOf(plan: RandomPoints): Point[] {
  const rng = new Mt19937(plan.randomSeed ?? randomInt(0, 2 ** 32));
  const draw = plan.shape === 'ellipse' ? drawInEllipse : drawInRectangle;
  const points: Point[] = [];
  let needed = plan.numPoints;
  let startAt = typeof plan.startAt === 'number' ? plan.startAt : 0;
  if (typeof plan.startAt !== 'number') {
    points.push([plan.startAt.xUm, plan.startAt.yUm]);
    needed -= 1;
    startAt = 0;
  }
  const fovW = plan.fovWidthUm;
  const fovH = plan.fovHeightUm;
  if (plan.allowOverlap || fovW === null || fovH === null) {
    points.push(...draw(rng, needed, plan.maxWidthUm, plan.maxHeightUm));
  } else {
    let tries = 0;
    while (tries < MAX_CANDIDATES && points.length < plan.numPoints) {
      const candidates = draw(rng, needed, plan.maxWidthUm, plan.maxHeightUm);
      tries += needed;
      for (const candidate of candidates) {
        if (!points.some(([x, y]) => Math.abs(candidate[0] - x) < fovW && Math.abs(candidate[1] - y) < fovH)) {
          points.push(candidate);
          if (points.length >= plan.numPoints) break;
        }
      }
    }
  }
  return plan.order === null ? points : orderPoints(points, plan.order, startAt);
}

function drawInEllipse(rng: Mt19937, count: number, widthUm: number, heightUm: number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < count; i++) {
    const u = rng.nextDouble();
    const v = rng.nextDouble();
    const angle = rng.nextDouble() * 2 * Math.PI;
    points.push([u * ((widthUm / 2) * Math.cos(angle)), v * ((heightUm / 2) * Math.sin(angle))]);
  }
  return points;
}

function drawInRectangle(rng: Mt19937, count: number, widthUm: number, heightUm: number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < count; i++) {
    const u = rng.nextDouble();
    const v = rng.nextDouble();
    points.push([u * widthUm - widthUm / 2, v * heightUm - heightUm / 2]);
  }
  return points;
}

function orderPoints(points: Point[], order: TraversalOrder, startAt: number): Point[] {
  if (points.length <= 2) return points;
  const start = Math.min(startAt, points.length - 1);
  const route =
    order === 'nearest_neighbor'
      ? nearestNeighbourRoute(points, start)
      : order === 'two_opt'
        ? twoOptRoute(points, start)
        : shuffledRoute(points.length);
  return route.map((i) => points[i]);
}

const distance = (a: Point, b: Point): number => {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  return Math.sqrt(dx * dx + dy * dy);
};

function nearestNeighbourRoute(points: Point[], start: number): number[] {
  const visited = new Array<boolean>(points.length).fill(false);
  const route = [start];
  visited[start] = true;
  for (let step = 1; step < points.length; step++) {
    const from = points[route[step - 1]];
    let best = -1;
    let bestScore = Infinity;
    points.forEach((p, i) => {
      const score = distance(p, from) + (visited[i] ? 1e9 : 0);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    });
    route.push(best);
    visited[best] = true;
  }
  return route;
}

function twoOptRoute(points: Point[], start: number): number[] {
  const n = points.length;
  const route = Array.from({ length: n }, (_, i) => (i + start) % n);
  const dist = points.map((a) => points.map((b) => distance(a, b)));
  let best = tourLength(route.map((i) => points[i]));
  let improvement = 1;
  while (improvement > 0.05) {
    const toBeat = best;
    for (let i = 1; i < n - 2; i++) {
      for (let k = i + 1; k < n; k++) {
        const [ri, rPrev, rk, rNext] = [route[i], route[i - 1], route[k], route[(k + 1) % n]];
        const before = dist[rPrev][ri] + dist[rk][rNext];
        const after = dist[rPrev][rk] + dist[ri][rNext];
        if (after < before) {
          route.splice(i, k - i + 1, ...route.slice(i, k + 1).reverse());
          best = best - before + after;
        }
      }
    }
    improvement = 1 - best / toBeat;
  }
  return route;
}

/** Closed tour length, summed pairwise as numpy's sum does so that 2-opt stops where useq's does. */
function tourLength(points: Point[]): number {
  const legs = points.map((p, i) => distance(p, points[(i + points.length - 1) % points.length]));
  return pairwiseSum(legs, 0, legs.length);
}

function pairwiseSum(values: number[], offset: number, count: number): number {
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += values[offset + i];
    return sum;
  }
  if (count <= 128) {
    const partial = values.slice(offset, offset + 8);
    let i = 8;
    for (; i < count - (count % 8); i += 8) for (let j = 0; j < 8; j++) partial[j] += values[offset + i + j];
    let sum = partial[0] + partial[1] + (partial[2] + partial[3]) + (partial[4] + partial[5] + (partial[6] + partial[7]));
    for (; i < count; i++) sum += values[offset + i];
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, offset, half) + pairwiseSum(values, offset + half, count - half);
}

function shuffledRoute(n: number): number[] {
  const route = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [route[i], route[j]] = [route[j], route[i]];
  }
  return route;
}
