/** Cameras, conditions and image statistics shared by this folder's tests. */
import type { CameraModel, ImagingConditions } from './contract';

export function testCamera(overrides: Partial<CameraModel> = {}): CameraModel {
  return {
    widthPx: 64,
    heightPx: 64,
    pixelSizeUm: 0.5,
    bitDepth: 16,
    offsetAdu: 100,
    gainAduPerElectron: 2,
    readNoiseElectrons: 1.5,
    quantumEfficiency: 0.8,
    binning: 1,
    ...overrides,
  };
}

export function testConditions(overrides: Partial<ImagingConditions> = {}): ImagingConditions {
  return {
    stageXUm: 0,
    stageYUm: 0,
    focusZUm: 0.4,
    exposureMs: 100,
    illuminationPowerMw: 1,
    excitationWavelengthNm: 488,
    emissionWavelengthNm: 520,
    numericalAperture: 0.75,
    timeS: 0,
    ...overrides,
  };
}

export interface Moments {
  readonly count: number;
  readonly mean: number;
  readonly variance: number;
  /** Standard error of the sample variance, from the sample's fourth central moment. */
  readonly varianceStandardError: number;
}

export function moments(values: ArrayLike<number>, keep: (value: number) => boolean = () => true): Moments {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!keep(values[i])) continue;
    count++;
    sum += values[i];
  }
  const mean = sum / count;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < values.length; i++) {
    if (!keep(values[i])) continue;
    const d = values[i] - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / (count - 1);
  const fourth = m4 / count;
  return { count, mean, variance, varianceStandardError: Math.sqrt(Math.max(0, fourth - variance * variance) / count) };
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

export function extent(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return { min, max };
}
