import type { Axis05 } from './zoo-rdf-schema';

/** Axis ids as single letters: b (batch), c (channel), y, x, z, t (time), i (index). */
export type AxisId = 'b' | 'c' | 'y' | 'x' | 'z' | 't' | 'i';

/** Thrown with a message; the loader adds the folder. */
export class DescriptionProblem extends Error {}

const LETTER_05: Record<string, AxisId> = { batch: 'b', channel: 'c', index: 'i', time: 't' };

export function axisId05(axis: Axis05): AxisId {
  const id = axis.id ?? (axis.type === 'space' ? 'x' : axis.type);
  if (id in LETTER_05) return LETTER_05[id];
  if (id === 'x' || id === 'y' || id === 'z') return id;
  if (axis.type === 'space') throw new DescriptionProblem(`space axis "${id}" is not x, y or z`);
  return LETTER_05[axis.type];
}

/** Axis names in processing kwargs: 0.5 ids ('channel', 'y') or 0.4 letter strings ('xy'). */
export function canonicalAxes(value: unknown): AxisId[] | null {
  if (value === undefined || value === null) return null;
  const names = typeof value === 'string' ? (['batch', 'channel', 'index', 'time'].includes(value) ? [value] : [...value]) : (value as unknown[]);
  return names.map((n) => {
    const name = String(n);
    if (name in LETTER_05) return LETTER_05[name];
    if (['b', 'c', 'y', 'x', 'z', 't', 'i'].includes(name)) return name as AxisId;
    throw new DescriptionProblem(`unknown axis "${name}" in processing`);
  });
}

