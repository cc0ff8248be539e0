import { CLASSICAL_METHODS, type MethodScore } from './compare-denoisers';

/** Whether a trained model is worth deploying: it must beat the best tuned classical denoiser by a margin. */
export interface DenoiserVerdict {
  readonly beatsClassical: boolean;
  readonly model: { readonly method: string; readonly psnrDb: number; readonly ssim: number };
  readonly bestClassical: { readonly method: string; readonly setting?: string; readonly psnrDb: number; readonly ssim: number };
  /** Model PSNR minus the best classical PSNR, dB (negative: the filter is better). */
  readonly marginDb: number;
  readonly requiredMarginDb: number;
  /** One line for the model's package and the dashboard. */
  readonly label: string;
}

export class VerdictError extends Error {
  override readonly name = 'VerdictError';
}

const describe = (row: { method: string; setting?: string }) => (row.setting ? `${row.method} (${row.setting})` : row.method);

/**
 * Judges compareDenoisers' rows: the model row (`modelMethod`, by default the first row that is neither raw nor a
 * classical filter) against the classical row of the highest PSNR. Pure: the same rows give the same verdict.
 */
export function denoiserVerdict(rows: readonly MethodScore[], marginDb = 1, modelMethod?: string): DenoiserVerdict {
  const model = modelMethod ? rows.find((r) => r.method === modelMethod) : rows.find((r) => r.method !== 'raw' && !CLASSICAL_METHODS.includes(r.method));
  if (!model) throw new VerdictError(`no model row ${modelMethod ? `"${modelMethod}" ` : ''}among ${rows.map((r) => r.method).join(', ')}`);
  const classical = rows.filter((r) => CLASSICAL_METHODS.includes(r.method) && Number.isFinite(r.psnrDb));
  if (classical.length === 0) throw new VerdictError(`no classical row to compare with among ${rows.map((r) => r.method).join(', ')}`);
  const best = classical.reduce((a, b) => (b.psnrDb > a.psnrDb ? b : a));
  const margin = model.psnrDb - best.psnrDb;
  const beats = Number.isFinite(margin) && margin >= marginDb;
  const amount = `${Math.abs(margin).toFixed(2)} dB`;
  const label = beats
    ? `beats the best classical method, ${describe(best)}, by ${amount}`
    : `does not beat the best classical method by ${marginDb} dB: ${describe(best)} ${margin < 0 ? `is ${amount} better` : `is only ${amount} worse`}; not deployed automatically`;
  return {
    beatsClassical: beats,
    model: { method: model.method, psnrDb: model.psnrDb, ssim: model.ssim },
    bestClassical: { method: best.method, ...(best.setting ? { setting: best.setting } : {}), psnrDb: best.psnrDb, ssim: best.ssim },
    marginDb: margin,
    requiredMarginDb: marginDb,
    label,
  };
}
