/// <reference lib="dom" />
import { api, ApiError, showMessage } from './api';

const MAX_DECISIONS = 200;
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The agent's decisions (from any 'log' stream named like decisions) and its switches, through /api/agent when
 * the service has an agent; says 'not available' when it has none.
 */
export class AgentPanel {
  constructor() {
    byId('agent-on').addEventListener('click', () => void this.send('POST', '/api/agent/on'));
    byId('agent-off').addEventListener('click', () => void this.send('POST', '/api/agent/off'));
    byId('agent-override-send').addEventListener('click', () => void this.override());
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const status = byId('agent-status');
    try {
      const state = await api<Record<string, unknown>>('GET', '/api/agent');
      status.textContent = summarize(state);
      status.dataset.available = 'true';
    } catch (err) {
      const unavailable = err instanceof ApiError && err.status === 404;
      status.textContent = unavailable ? 'agent not available in this service' : (err as Error).message;
      status.dataset.available = 'false';
    }
  }

  decisions(records: ReadonlyArray<Record<string, unknown>>): void {
    const list = byId('decisions');
    for (const record of records) {
      const item = document.createElement('li');
      const when = typeof record.timeMs === 'number' ? new Date(record.timeMs).toLocaleTimeString() + ' ' : '';
      const { timeMs: _t, ...rest } = record;
      const line = describeDecision(rest);
      item.textContent = when + (line ?? JSON.stringify(rest));
      // the whole record (inputs, settings before and after, bounds) on hover
      if (line) item.title = JSON.stringify(rest, null, 2);
      list.prepend(item);
    }
    while (list.children.length > MAX_DECISIONS) list.lastElementChild?.remove();
  }

  private async override(): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(byId<HTMLInputElement>('agent-override').value || '{}');
    } catch {
      return showMessage('override: not valid JSON', false);
    }
    await this.send('POST', '/api/agent/override', body);
  }

  private async send(method: string, path: string, body?: unknown): Promise<void> {
    try {
      await api(method, path, body);
      showMessage(`${path}: done`);
    } catch (err) {
      showMessage(err instanceof ApiError && err.status === 404 ? 'agent not available in this service' : (err as Error).message, false);
    }
    await this.refresh();
  }
}

function summarize(state: Record<string, unknown>): string {
  return Object.entries(state)
    .filter(([, v]) => typeof v !== 'object' || v === null)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

type Setting = { intervalS?: number | null; exposureMs?: number; illuminationPercent?: number };
const num = (v: unknown, digits = 2): string => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toFixed(digits))) : '–');

/** One line per decision: mode, what the agent saw, the settings before → after, and which bound clamped what. */
function describeDecision(record: Record<string, unknown>): string | undefined {
  const inputs = record.inputs as Record<string, unknown> | undefined;
  const decision = record.decision as Record<string, unknown> | undefined;
  const settings = record.settings as { before?: Setting; after?: Setting; clamps?: Array<{ field: string; bound: string }> } | undefined;
  if (!inputs || !decision || !settings?.before || !settings.after) return undefined;
  const { before, after } = settings;
  const change = (name: string, a: unknown, b: unknown, unit: string) =>
    num(a) === num(b) ? `${name} ${num(b)} ${unit}` : `${name} ${num(a)} → ${num(b)} ${unit}`;
  const clamps = (settings.clamps ?? []).map((c) => `${c.field} held by ${c.bound}`);
  return [
    `#${String(record.sequence)} ${String(decision.mode)}`,
    `SNR ${num(inputs.snr, 1)}`,
    `risk ${num(inputs.predictedRisk, 3)}`,
    `dose ${num(inputs.doseSoFarPercentSeconds, 1)} / ${num(inputs.doseBudgetPercentSeconds, 1)} %·s`,
    change('interval', before.intervalS, after.intervalS, 's'),
    change('exposure', before.exposureMs, after.exposureMs, 'ms'),
    change('light', before.illuminationPercent, after.illuminationPercent, '%'),
    ...(clamps.length > 0 ? [clamps.join(', ')] : []),
    String(record.reason ?? ''),
  ].join(' · ');
}
