/// <reference lib="dom" />
import { api, showMessage } from './api';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const numberOf = (id: string) => Number(byId<HTMLInputElement>(id).value);
const POLL_MS = 1000;

interface EpochPoint {
  epoch: number;
  phase: string;
  loss: number;
  validationLoss: number;
}

interface MethodRow {
  method: string;
  setting?: string;
  psnrDb: number;
  ssim: number;
}

interface TrainingRecord {
  id: string;
  state: string;
  mode?: string;
  progress?: {
    epoch: number;
    epochs: number;
    stepsDone: number;
    stepsTotal: number;
    loss: number;
    validationLoss: number;
    etaS: number | null;
  } | null;
  history?: EpochPoint[];
  paused?: { since: string | null; reason: string | null; totalS: number };
  modelId?: string;
  evaluation?: { verdict: string; note: string; table: MethodRow[] };
  deployed?: { modelId: string } | { error: string };
  error?: string;
}

/**
 * CARE on this microscope: acquire calibration pairs, train on them in the background, see the loss and the held-out
 * table against the tuned classical filters, and deploy the model into the live branch. Training progress comes
 * from the `care-training` record stream.
 */
export class CarePanel {
  private calibrationId?: string;
  private shown?: TrainingRecord;

  constructor() {
    byId('care-calibrate').addEventListener('click', () => void this.calibrate());
    byId('care-train').addEventListener('click', () => void this.train());
    byId('care-deploy').addEventListener('click', () => void this.deploy());
  }

  training(records: ReadonlyArray<Record<string, unknown>>): void {
    const last = records.at(-1) as TrainingRecord | undefined;
    if (!last) return;
    this.shown = last;
    const p = last.progress;
    const progress = p ? ` · epoch ${p.epoch}/${p.epochs} · loss ${p.loss.toFixed(4)} · validation ${p.validationLoss.toFixed(4)}` : '';
    const eta = p?.etaS != null && last.state === 'running' ? ` · about ${Math.round(p.etaS)} s left` : '';
    const status = byId('care-training-status');
    const paused = last.paused?.since && last.state === 'running' ? ` · paused: ${last.paused.reason ?? 'waiting'}` : '';
    status.textContent = `${last.mode ?? 'care'} training ${last.id}: ${last.state}${paused}${progress}${eta}${last.error ? ` · ${last.error}` : ''}`;
    status.dataset.state = last.state;
    byId<HTMLProgressElement>('care-training-progress').value = p && p.stepsTotal > 0 ? p.stepsDone / p.stepsTotal : 0;
    drawLoss(
      byId<HTMLCanvasElement>('care-loss'),
      (last.history ?? []).filter((h) => h.phase !== 'uncertainty'),
    );
    this.showEvaluation(last);
  }

  private showEvaluation(record: TrainingRecord): void {
    const table = byId<HTMLTableElement>('care-evaluation');
    table.replaceChildren();
    const evaluation = record.evaluation;
    byId('care-verdict').textContent = evaluation ? evaluation.note : '';
    byId('care-verdict').dataset.verdict = evaluation?.verdict ?? '';
    byId<HTMLButtonElement>('care-deploy').disabled = !record.modelId;
    if (!evaluation) return;
    const head = table.insertRow();
    for (const title of ['method', 'setting', 'PSNR dB', 'SSIM']) head.insertCell().textContent = title;
    for (const row of evaluation.table) {
      const cells = table.insertRow();
      cells.insertCell().textContent = row.method;
      cells.insertCell().textContent = row.setting ?? '';
      cells.insertCell().textContent = row.psnrDb.toFixed(2);
      cells.insertCell().textContent = row.ssim.toFixed(3);
    }
    if (record.deployed) {
      byId('care-deployed').textContent =
        'modelId' in record.deployed ? `live CARE runs ${record.deployed.modelId}` : record.deployed.error;
    }
  }

  private async calibrate(): Promise<void> {
    const request = {
      lowPercent: numberOf('care-low'),
      highPercent: numberOf('care-high'),
      exposureMs: numberOf('care-exposure'),
      count: numberOf('care-count'),
      doseBudgetPercentSeconds: numberOf('care-budget'),
    };
    try {
      const started = await api<{ id: string }>('POST', '/api/care/calibrations', request);
      this.calibrationId = started.id;
      await this.followCalibration(started.id);
    } catch (err) {
      byId('care-calibration-status').textContent = (err as Error).message;
      showMessage((err as Error).message, false);
    }
  }

  private async followCalibration(id: string): Promise<void> {
    for (;;) {
      const path = `/api/care/calibrations/${id}`;
      const status = await api<{ state: string; pairsKept: number; pairsDropped: number; error?: string }>('GET', path);
      const pairs = `${status.pairsKept} pairs kept, ${status.pairsDropped} dropped`;
      const text = `calibration ${id}: ${status.state} · ${pairs}${status.error ? ` · ${status.error}` : ''}`;
      byId('care-calibration-status').textContent = text;
      byId('care-calibration-status').dataset.state = status.state;
      if (status.state !== 'running') return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async train(): Promise<void> {
    if (!this.calibrationId) return showMessage('calibrate first: training uses the last calibration', false);
    try {
      const mode = byId<HTMLSelectElement>('care-mode').value;
      const deploy = byId<HTMLInputElement>('care-auto-deploy').checked;
      const job = await api<{ id: string }>('POST', '/api/care/trainings', { calibrationId: this.calibrationId, mode, deploy });
      byId('care-training-status').textContent = `training ${job.id}: queued`;
    } catch (err) {
      showMessage((err as Error).message, false);
    }
  }

  private async deploy(): Promise<void> {
    const modelId = this.shown?.modelId;
    if (!modelId) return;
    try {
      await api('POST', `/api/care/models/${encodeURIComponent(modelId)}/deploy`);
      byId('care-deployed').textContent = `live CARE runs ${modelId}`;
      showMessage(`${modelId} deployed`);
    } catch (err) {
      showMessage((err as Error).message, false);
    }
  }
}

/** Training and validation loss per epoch of the restoration phase (the uncertainty head's loss has other units), log scale. */
function drawLoss(canvas: HTMLCanvasElement, history: readonly EpochPoint[]): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const values = history.flatMap((h) => [h.loss, h.validationLoss]).filter((v) => v > 0 && Number.isFinite(v));
  if (history.length === 0 || values.length === 0) return;
  const [low, high] = [Math.log(Math.min(...values)), Math.log(Math.max(...values))];
  const x = (i: number) => 4 + (i / Math.max(1, history.length - 1)) * (canvas.width - 8);
  const y = (v: number) => canvas.height - 4 - ((Math.log(v) - low) / Math.max(1e-9, high - low)) * (canvas.height - 8);
  for (const [key, colour] of [
    ['loss', '#4a90d9'],
    ['validationLoss', '#d98b4a'],
  ] as const) {
    context.strokeStyle = colour;
    context.beginPath();
    history.forEach((h, i) => (i === 0 ? context.moveTo(x(i), y(h[key])) : context.lineTo(x(i), y(h[key]))));
    context.stroke();
  }
  canvas.dataset.epochs = String(history.length);
}
