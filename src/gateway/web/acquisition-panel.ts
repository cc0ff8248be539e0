/// <reference lib="dom" />
import { api, showMessage } from './api';

const DEFAULT_PLAN = {
  metadata: { name: 'dashboard' },
  axis_order: 'tpcz',
  time_plan: { interval: 0.5, loops: 10 },
  channels: [{ config: 'DAPI', exposure: 20 }],
};

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

  constructor() {
    const plan = byId<HTMLTextAreaElement>('plan');
    plan.value = JSON.stringify(DEFAULT_PLAN, null, 2);
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
      // what the agent may do to the plan's timing comes first, in words
      const agent = summary.agent as { note?: unknown } | undefined;
      const note = typeof agent?.note === 'string' ? `${agent.note}\n\n` : '';
      out.textContent = note + JSON.stringify(summary, null, 2);
    } catch (err) {
      out.textContent = (err as Error).message;
    }
  }

  private async start(): Promise<void> {
    try {
      const status = await api<Status>('POST', '/api/acquisitions', this.planJson());
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
  }
}
