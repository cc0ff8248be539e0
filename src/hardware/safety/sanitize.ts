/** A quantity that may only be a finite, non-negative number; anything else becomes 0 (no light, no exposure). */
export function finiteNonNegativeOrZero(value: unknown): { readonly value: number; readonly valid: boolean } {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return { value, valid: true };
  return { value: 0, valid: false };
}

export class DecisionTimeoutError extends Error {
  override readonly name = 'DecisionTimeoutError';
}

/** Runs a decision (e.g. a model's illumination proposal) with a deadline; throws what it threw or a timeout. */
export async function decideWithin<T>(decide: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DecisionTimeoutError(`no decision within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(decide), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
