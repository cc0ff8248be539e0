import { z } from 'zod';
import { AXES, type Axis } from '../plan-types';
import { readDurationMicros } from '../duration-input';

/**
 * Field schemas with pydantic's lax coercions (numbers from numeric text, booleans from "yes"/1, …), since plans
 * written by Python tools and YAML arrive that way, and with messages that read well after a field path.
 */

const typeError = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);

const DECIMAL_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
function numberFromText(value: unknown): unknown {
  return typeof value === 'string' && DECIMAL_TEXT.test(value) ? Number(value) : value;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', 'n', 'f', '0']);
function booleanFromWord(value: unknown): unknown {
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

type NumberRule = (n: z.ZodNumber) => z.ZodNumber;
const anyNumber: NumberRule = (n) => n;

export const float = (rule: NumberRule = anyNumber) =>
  z.preprocess(numberFromText, rule(z.number({ error: typeError('a finite number') })));

export const positiveFloat = () => float((n) => n.gt(0, { error: 'must be > 0' }));

export const nonNegativeFloat = () => float((n) => n.gte(0, { error: 'must be >= 0' }));

export const integer = (rule: NumberRule = anyNumber) =>
  z.preprocess(numberFromText, rule(z.number({ error: typeError('an integer') }).int({ error: 'must be an integer' })));

export const nullableFloat = () =>
  float()
    .nullable()
    .optional()
    .transform((v) => v ?? null);

export const boolean = (fallback: boolean) =>
  z.preprocess(booleanFromWord, z.boolean({ error: typeError('true or false') }).optional()).transform((v) => v ?? fallback);

export const text = () => z.string({ error: typeError('a string') });

export const nullableText = () =>
  text()
    .nullable()
    .optional()
    .transform((v) => v ?? null);

/** Duration in whole microseconds; negative durations are refused (useq would yield start times before 0). */
export const durationMicros = () =>
  z.unknown().transform((value, ctx): number => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    const result = readDurationMicros(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }
    if (result.micros < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be >= 0' });
      return z.NEVER;
    }
    return result.micros;
  });

/** A list of axis letters; where useq also takes a string of them ("tpgcz"), `acceptString` allows that. */
export const axisList = (acceptString: boolean) =>
  z
    .union(acceptString ? [z.string(), z.array(z.string())] : [z.array(z.string())], {
      error: `must be a list of axes (${AXES.join(', ')})`,
    })
    .transform((value, ctx): Axis[] => {
      const letters = typeof value === 'string' ? [...value] : value;
      const axes = letters.map((letter) => letter.toLowerCase());
      const unknown = axes.filter((axis) => !(AXES as readonly string[]).includes(axis));
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `can only name axes ${AXES.join(', ')}; got ${unknown.join(', ')}` });
        return z.NEVER;
      }
      return axes as Axis[];
    });

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface PlanForm<T> {
  /** Fields of this form; counted like pydantic's `fields_set` to choose between forms that all fit. */
  readonly fields: readonly string[];
  /** Fields this form cannot do without; their presence tells which form the author meant. */
  readonly required: readonly string[];
  readonly schema: z.ZodType<T>;
}

/**
 * useq tells its plan forms apart the way pydantic does with unions: every form is tried; in 'smart' mode the one
 * that fits with the most of its fields given wins, in 'first' mode the first that fits. When none fits, the
 * errors reported are those of the form whose required fields are most present, e.g. `z_plan.step: is required`.
 * A `fallback` (useq's catch-all RelativePosition grid) is taken only when no form's required field is present.
 */
export function planUnion<T>(
  what: string,
  forms: ReadonlyArray<PlanForm<T>>,
  options: { readonly mode: 'smart' | 'first'; readonly fallback?: z.ZodType<T> },
) {
  return z.unknown().transform((value, ctx): T => {
    if (!isPlainObject(value)) {
      ctx.addIssue({ code: 'custom', message: `must be an object (a ${what})` });
      return z.NEVER;
    }
    const given = (keys: readonly string[]) => keys.filter((key) => value[key] !== undefined).length;
    const results = forms.map((form) => ({ form, result: form.schema.safeParse(value) }));
    const fits = results.filter(({ result }) => result.success);
    if (fits.length > 0) {
      const chosen =
        options.mode === 'first' ? fits[0] : fits.reduce((best, next) => (given(next.form.fields) > given(best.form.fields) ? next : best));
      return chosen.result.data as T;
    }
    const requiredGiven = results.map(({ form }) => given(form.required));
    const most = Math.max(...requiredGiven);
    if (most === 0 && options.fallback) {
      const fallback = options.fallback.safeParse(value);
      if (fallback.success) return fallback.data;
      for (const issue of fallback.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
      return z.NEVER;
    }
    const closest = results.filter((_, i) => requiredGiven[i] === most);
    if (most === 0 || closest.length > 1) {
      const described = forms.map((form) => `{${form.required.join(', ')}}`).join(' or ');
      ctx.addIssue({ code: 'custom', message: `is not a complete ${what}: give ${described}` });
      return z.NEVER;
    }
    const failed = closest[0].result;
    if (!failed.success) {
      for (const issue of failed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
    }
    return z.NEVER;
  });
}
