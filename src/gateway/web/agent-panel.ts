/// <reference lib="dom" />
import { api, ApiError, showMessage } from './api';

const MAX_DECISIONS = 200;
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The agent's decisions (from any 'log' stream named like decisions) and its switches, through /api/agent when
 * the service has an agent; says 'not available' when it has none.
 */
export class AgentPanel {
  /** The light envelope's limit (%), from the light controls; the timeline draws each decision's light against it. */
  envelopePercent?: number;

  constructor() {
    byId('agent-on').addEventListener('click', () => void this.send('POST', '/api/agent/on'));
    byId('agent-off').addEventListener('click', () => void this.send('POST', '/api/agent/off'));
    byId('agent-override-send').addEventListener('click', () => void this.override());
    byId('agent-override-clear').addEventListener(
      'click',
      () => void this.send('POST', '/api/agent/override', { illuminationPercent: null }),
    );
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const status = byId('agent-status');
    try {
      const state = await api<Record<string, unknown>>('GET', '/api/agent');
      status.textContent = summarize(state);
      status.dataset.available = 'true';
      status.dataset.enabled = String(state.enabled);
      status.dataset.override = state.overrideIlluminationPercent === null ? '' : String(state.overrideIlluminationPercent);
      byId('agent-on').setAttribute('aria-pressed', String(state.enabled === true));
      byId('agent-off').setAttribute('aria-pressed', String(state.enabled === false));
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
      const line = describeDecision(rest, this.envelopePercent);
      item.textContent = when + (line ?? JSON.stringify(rest));
      // the whole record (inputs, settings before and after, bounds) on hover
      if (line) item.title = JSON.stringify(rest, null, 2);
      const gauge = lightGauge(rest, this.envelopePercent);
      if (gauge) item.prepend(gauge);
      item.dataset.mode = String((rest.decision as { mode?: unknown } | undefined)?.mode ?? '');
      list.prepend(item);
    }
    while (list.children.length > MAX_DECISIONS) list.lastElementChild?.remove();
  }

  private async override(): Promise<void> {
    const text = byId<HTMLInputElement>('agent-override').value.trim();
    const illuminationPercent = Number(text);
    if (text === '' || !Number.isFinite(illuminationPercent)) return showMessage('override: give the light in % (0–100)', false);
    await this.send('POST', '/api/agent/override', { illuminationPercent });
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

type SettingsRecord = {
  before?: Setting;
  after?: Setting;
  clamps?: Array<{ field: string; bound: string }>;
  bounds?: { maxIlluminationPercent?: number };
};

/**
 * The light the decision chose on a 0–100 % bar, the envelope's limit marked on it (the meter's "high"), the
 * agent's own bound beside it in data-agent-percent.
 */
function lightGauge(record: Record<string, unknown>, envelopePercent: number | undefined): HTMLMeterElement | undefined {
  const settings = record.settings as SettingsRecord | undefined;
  const chosen = settings?.after?.illuminationPercent;
  const agentPercent = settings?.bounds?.maxIlluminationPercent;
  if (typeof chosen !== 'number') return undefined;
  const meter = document.createElement('meter');
  meter.className = 'decision-light';
  meter.min = 0;
  meter.max = 100;
  meter.value = chosen;
  meter.dataset.lightPercent = String(chosen);
  if (envelopePercent !== undefined) {
    meter.high = envelopePercent;
    meter.dataset.envelopePercent = String(envelopePercent);
  }
  if (typeof agentPercent === 'number') meter.dataset.agentPercent = String(agentPercent);
  meter.title = `light ${num(chosen)} %: the agent's bound ${num(agentPercent)} %, the envelope's limit ${num(envelopePercent)} %`;
  return meter;
}

/** One line per decision: mode, what the agent saw, the settings before → after, and which bound clamped what. */
function describeDecision(record: Record<string, unknown>, envelopePercent: number | undefined): string | undefined {
  const inputs = record.inputs as Record<string, unknown> | undefined;
  const decision = record.decision as Record<string, unknown> | undefined;
  const settings = record.settings as SettingsRecord | undefined;
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
    `${change('light', before.illuminationPercent, after.illuminationPercent, '%')} (agent ≤ ${num(settings.bounds?.maxIlluminationPercent)} %, envelope ≤ ${num(envelopePercent)} %)`,
    ...(clamps.length > 0 ? [clamps.join(', ')] : []),
    String(record.reason ?? ''),
  ].join(' · ');
}
