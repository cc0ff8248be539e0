/// <reference lib="dom" />
import { api, showMessage } from './api';
import { formatDuration, renderPlanFigures, type PlanSummary } from './plan-figures';
import type { PlanForm } from './plan-form';

interface Status {
  acquisitionId: string;
  state: string;
  framesAcquired: number;
  framesPlanned?: number;
  framesWritten: number;
  framesDropped?: number;
  elapsedS: number;
  error?: string;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The MDASequence form: preview through /api/plans/preview, start/pause/resume/cancel, progress from the stream. */
export class AcquisitionPanel {
  private currentId?: string;
  private endedId?: string;
  private previewTimer?: ReturnType<typeof setTimeout>;
  onEnded?: () => void;

  constructor(private readonly form: PlanForm) {
    form.onPlan = () => {
      // typing a number fires a change per key: preview once the user pauses
      clearTimeout(this.previewTimer);
      this.previewTimer = setTimeout(() => void this.preview(), 250);
    };
    form.write();
    byId('plan-preview-button').addEventListener('click', () => void this.preview());
    byId('acquisition-start').addEventListener('click', () => void this.start());
    for (const action of ['pause', 'resume', 'cancel'] as const) {
      byId(`acquisition-${action}`).addEventListener('click', () => void this.act(action));
    }
    void this.loadLatest();
  }

  /** A record of the 'acquisition' state stream. */
  progress(record: Record<string, unknown>): void {
    this.render(record as unknown as Status);
  }

  private planJson(): unknown {
    try {
      return JSON.parse(byId<HTMLTextAreaElement>('plan').value);
    } catch (err) {
      throw new Error(`the plan is not valid JSON: ${(err as Error).message}`);
    }
  }

  private async preview(): Promise<void> {
    const out = byId('plan-preview');
    try {
      const summary = await api<Record<string, unknown>>('POST', '/api/plans/preview?events=5', this.planJson());
      renderPlanFigures(byId('plan-figures'), summary as unknown as PlanSummary, this.form.sequencing());
      // what the agent may do to the plan's timing comes first, in words
      const agent = summary.agent as { note?: unknown } | undefined;
      const note = typeof agent?.note === 'string' ? `${agent.note}\n\n` : '';
      out.textContent = note + JSON.stringify(summary, null, 2);
    } catch (err) {
      out.textContent = (err as Error).message;
      byId('plan-figures').replaceChildren();
    }
  }

  private async start(): Promise<void> {
    try {
      const status = await api<Status>('POST', `/api/acquisitions?sequencing=${this.form.sequencing()}`, this.planJson());
      this.render(status);
      showMessage(`acquisition ${status.acquisitionId} started`);
    } catch (err) {
      showMessage((err as Error).message, false);
    }
  }

  private async act(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (!this.currentId) return showMessage('no acquisition to ' + action, false);
    try {
      this.render(await api<Status>('POST', `/api/acquisitions/${this.currentId}/${action}`));
    } catch (err) {
      showMessage((err as Error).message, false);
    }
  }

  private async loadLatest(): Promise<void> {
    try {
      const list = await api<Status[]>('GET', '/api/acquisitions');
      if (list.length > 0) this.render(list[list.length - 1]);
    } catch {
      // A viewer without a token yet, or the service restarting: the stream fills this in later.
    }
  }

  private render(status: Status): void {
    this.currentId = status.acquisitionId;
    const bar = byId<HTMLProgressElement>('acquisition-progress');
    bar.max = Math.max(1, status.framesPlanned ?? status.framesAcquired);
    bar.value = status.framesAcquired;
    const text = byId('acquisition-status');
    text.dataset.state = status.state;
    text.dataset.framesAcquired = String(status.framesAcquired);
    text.textContent =
      `${status.state} · ${status.framesAcquired}/${status.framesPlanned ?? '?'} frames · ${status.framesWritten} written · ` +
      (status.framesDropped ? `${status.framesDropped} lost by the camera (blank, listed in the data set) · ` : '') +
      `${status.elapsedS.toFixed(1)} s${status.error ? ' · ' + status.error : ''}`;
    byId('acquisition-eta').textContent = etaText(status);
    if (!['running', 'paused', 'pending'].includes(status.state) && this.endedId !== status.acquisitionId) {
      this.endedId = status.acquisitionId;
      this.onEnded?.();
    }
  }
}

/** Time left from the pace so far: the first frame comes at once, so the pace counts from it. */
export function etaText(status: Status): string {
  const planned = status.framesPlanned;
  if (status.state !== 'running' || planned === undefined) return '';
  if (status.framesAcquired < 2) return 'ETA: after the second frame';
  const secondsPerFrame = status.elapsedS / (status.framesAcquired - 1);
  const left = Math.max(0, planned - status.framesAcquired) * secondsPerFrame;
  return `ETA ${formatDuration(left)} (${secondsPerFrame.toFixed(2)} s a frame)`;
}
