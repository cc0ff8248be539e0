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
      item.textContent = when + JSON.stringify(rest);
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
