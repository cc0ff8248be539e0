import { z } from 'zod';
import { canonicalAxes, DescriptionProblem, type AxisId } from './axis-ids';

/**
 * The spec's pre- and post-processing operations as typed values (0.5 `id`s; 0.4 `name`s with their `mode`).
 * Statistics are per sample: reduced over `axes` (null: all axes) separately for every index of the others.
 */
export type PerAxisValue = number | readonly number[];

export type ProcessingStep =
  | { readonly kind: 'ensure_dtype'; readonly dtype: string }
  | { readonly kind: 'scale_linear'; readonly gain: PerAxisValue; readonly offset: PerAxisValue; readonly axis: AxisId | null }
  | {
      readonly kind: 'scale_range';
      readonly axes: AxisId[] | null;
      readonly minPercentile: number;
      readonly maxPercentile: number;
      readonly eps: number;
      readonly referenceTensor?: string;
    }
  | { readonly kind: 'zero_mean_unit_variance'; readonly axes: AxisId[] | null; readonly eps: number }
  | { readonly kind: 'fixed_zero_mean_unit_variance'; readonly mean: PerAxisValue; readonly std: PerAxisValue; readonly axis: AxisId | null; readonly eps: number }
  | { readonly kind: 'clip'; readonly min: number; readonly max: number }
  | { readonly kind: 'sigmoid' }
  | { readonly kind: 'binarize'; readonly threshold: PerAxisValue; readonly axis: AxisId | null };

const perAxis = z.union([z.number(), z.array(z.number()).min(1)]);
const eps = z.number().positive().max(0.1).default(1e-6);

const SCHEMAS = {
  ensure_dtype: z.object({ dtype: z.enum(['float32', 'float64', 'uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'int64', 'uint64', 'bool']) }).passthrough(),
  scale_linear: z.object({ gain: perAxis.default(1), offset: perAxis.default(0), axis: z.string().optional(), axes: z.unknown().optional() }).passthrough(),
  scale_range: z
    .object({
      axes: z.unknown().optional(),
      min_percentile: z.number().min(0).max(100).default(0),
      max_percentile: z.number().min(0).max(100).default(100),
      eps,
      reference_tensor: z.string().nullish(),
      mode: z.enum(['per_sample', 'per_dataset']).optional(),
    })
    .passthrough(),
  zero_mean_unit_variance: z
    .object({ axes: z.unknown().optional(), eps, mode: z.enum(['per_sample', 'per_dataset', 'fixed']).optional(), mean: perAxis.optional(), std: perAxis.optional() })
    .passthrough(),
  fixed_zero_mean_unit_variance: z.object({ mean: perAxis, std: perAxis, axis: z.string().optional(), eps }).passthrough(),
  clip: z.object({ min: z.number().nullish(), max: z.number().nullish() }).passthrough(),
  sigmoid: z.object({}).passthrough(),
  binarize: z.object({ threshold: perAxis, axis: z.string().optional() }).passthrough(),
};

const one = (axes: AxisId[] | null): AxisId | null => (axes && axes.length ? axes[0] : null);

/** The step `id` (0.5) or `name` (0.4) with its kwargs; unknown operations are refused by name. */
export function parseProcessingStep(id: string, kwargs: Record<string, unknown>, tensorId: string): ProcessingStep {
  if (!(id in SCHEMAS)) throw new DescriptionProblem(`tensor "${tensorId}": processing "${id}" is not supported (supported: ${Object.keys(SCHEMAS).join(', ')})`);
  const parsed = SCHEMAS[id as keyof typeof SCHEMAS].safeParse(kwargs);
  if (!parsed.success) {
    throw new DescriptionProblem(`tensor "${tensorId}": processing "${id}": ${parsed.error.issues.map((i) => `${i.path.join('.') || 'kwargs'}: ${i.message}`).join('; ')}`);
  }
  const k = parsed.data as Record<string, unknown>;
  switch (id) {
    case 'ensure_dtype':
      return { kind: 'ensure_dtype', dtype: k.dtype as string };
    case 'scale_linear': {
      // 0.4 names the axes the gain varies along; 0.5 a single `axis`.
      const axis = k.axis !== undefined ? one(canonicalAxes([k.axis])) : Array.isArray(k.gain) || Array.isArray(k.offset) ? one(canonicalAxes(k.axes)) : null;
      return { kind: 'scale_linear', gain: k.gain as PerAxisValue, offset: k.offset as PerAxisValue, axis };
    }
    case 'scale_range':
      if (Number(k.min_percentile) >= Number(k.max_percentile)) throw new DescriptionProblem(`tensor "${tensorId}": scale_range min_percentile ≥ max_percentile`);
      return {
        kind: 'scale_range',
        axes: canonicalAxes(k.axes),
        minPercentile: k.min_percentile as number,
        maxPercentile: k.max_percentile as number,
        eps: k.eps as number,
        ...(k.reference_tensor ? { referenceTensor: k.reference_tensor as string } : {}),
      };
    case 'zero_mean_unit_variance':
      if (k.mode === 'fixed') {
        if (k.mean === undefined || k.std === undefined) throw new DescriptionProblem(`tensor "${tensorId}": zero_mean_unit_variance mode fixed needs mean and std`);
        const axis = Array.isArray(k.mean) ? one(canonicalAxes(k.axes)) : null;
        return { kind: 'fixed_zero_mean_unit_variance', mean: k.mean as PerAxisValue, std: k.std as PerAxisValue, axis, eps: k.eps as number };
      }
      // 0.4's per_dataset is computed over the data at hand, one sample, as bioimageio.core does without a dataset.
      return { kind: 'zero_mean_unit_variance', axes: canonicalAxes(k.axes), eps: k.eps as number };
    case 'fixed_zero_mean_unit_variance':
      return { kind: 'fixed_zero_mean_unit_variance', mean: k.mean as PerAxisValue, std: k.std as PerAxisValue, axis: k.axis ? one(canonicalAxes([k.axis])) : null, eps: k.eps as number };
    case 'clip':
      return { kind: 'clip', min: (k.min as number | null | undefined) ?? -Infinity, max: (k.max as number | null | undefined) ?? Infinity };
    case 'sigmoid':
      return { kind: 'sigmoid' };
    default:
      return { kind: 'binarize', threshold: k.threshold as PerAxisValue, axis: k.axis ? one(canonicalAxes([k.axis])) : null };
  }
}
