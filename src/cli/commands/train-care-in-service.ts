import { resolve } from 'node:path';
import type { TrainingJobSpec, TrainingJobStatus } from '../../models/care/jobs/training-job';
import type { ProgressFactory, ProgressReporter } from '../text-progress';
import { UsageError } from '../usage-error';

/** What `scope train care --deploy <url>` hands to the service: the fields of POST /api/care/trainings it sets. */
export type ServiceTrainingRequest = Pick<
  TrainingJobSpec,
  'mode' | 'network' | 'epochs' | 'stepsPerEpoch' | 'batch' | 'patchPx' | 'patchesPerImage' | 'learningRate' | 'seed'
> & { readonly pairsDir: string; readonly name?: string };

export interface ServiceTrainingResult {
  readonly job: TrainingJobStatus;
  /** 0: trained, evaluated and deployed; 1: failed, or trained but not deployed (below the best classical filter). */
  readonly exitCode: number;
}

const POLL_MS = 1000;

async function call(url: string, token: string | undefined, init: RequestInit = {}): Promise<TrainingJobStatus> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  } catch (err) {
    throw new UsageError(`--deploy: the service at ${new URL(url).origin} does not answer (${(err as Error).message}); is it running?`);
  }
  const body = (await response.json().catch(() => ({}))) as { message?: unknown } & TrainingJobStatus;
  if (response.status === 401 || response.status === 403) {
    throw new UsageError(
      `--deploy: the service refused the request (${response.status}): give an operator token with --token or $SCOPE_TOKEN`,
    );
  }
  if (response.status >= 400) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? response.statusText);
    throw new UsageError(`--deploy: the service refused the training (${response.status}): ${message}`);
  }
  return body;
}

/**
 * Trains in the running service rather than here, so that the model is evaluated against the tuned classical
 * filters on held-out pairs and, only when it beats the best of them, hot-swapped into the live CARE branch
 * (the same path as POST /api/care/trainings with deploy: true). Follows the job until it ends.
 */
export async function trainInService(
  serviceUrl: string,
  token: string | undefined,
  request: ServiceTrainingRequest,
  progress: ProgressFactory,
): Promise<ServiceTrainingResult> {
  const base = new URL('/api/care/trainings/', serviceUrl).toString();
  let job = await call(base, token, {
    method: 'POST',
    body: JSON.stringify({ ...request, pairsDir: resolve(request.pairsDir), deploy: true }),
  });
  const label = `train ${job.spec.name} in ${new URL(serviceUrl).origin}`;
  let bar: ProgressReporter | undefined;
  while (
    job.state === 'queued' ||
    job.state === 'running' ||
    (job.state === 'finished' && job.outcome?.evaluation.verdict === 'beats-classical' && !job.deployed)
  ) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    job = await call(`${base}${job.id}`, token);
    const p = job.progress;
    if (p)
      (bar ??= progress(label, p.stepsTotal)).update(
        p.stepsDone,
        `${p.phase} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val ${p.validationLoss.toFixed(4)}`,
      );
  }
  const evaluation = job.outcome?.evaluation;
  const deployed = job.deployed && 'modelId' in job.deployed ? job.deployed.modelId : null;
  (bar ?? progress(label, undefined)).finish(
    job.state !== 'finished'
      ? `training ${job.state}${job.error ? `: ${job.error}` : ''}`
      : deployed
        ? `deployed ${deployed} into the live CARE branch: ${evaluation?.note ?? ''}`
        : `trained, not deployed: ${evaluation?.note ?? (job.deployed && 'error' in job.deployed ? job.deployed.error : '')}`,
  );
  return { job, exitCode: job.state === 'finished' && deployed ? 0 : 1 };
}
