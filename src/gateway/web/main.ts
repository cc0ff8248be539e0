/// <reference lib="dom" />
import { io, type Socket } from 'socket.io-client';
import { AcquisitionPanel } from './acquisition-panel';
import { AgentEvaluationView } from './agent-evaluation-view';
import { AgentPanel } from './agent-panel';
import { api, currentToken, setToken } from './api';
import { CarePanel } from './care-panel';
import { DatasetsPanel } from './datasets-panel';
import { DevicesPanel } from './devices-panel';
import { JobsPanel } from './jobs-panel';
import { applyRole } from './operator-gate';
import { PlanForm } from './plan-form';
import { drawHistogram, LivePanes, type Contrast } from './live-panes';
import type { FrameMessage, RecordsMessage, StreamCatalog } from './messages';
import { Plots } from './plots';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const panes = new LivePanes(byId('panes'));
const plots = new Plots(byId('plots'));
const devices = new DevicesPanel();
const planForm = new PlanForm();
const acquisition = new AcquisitionPanel(planForm);
const datasets = new DatasetsPanel(byId('datasets'));
const jobs = new JobsPanel(byId('jobs'), byId('job-chunks'));
let stageNow: { xUm: number; yUm: number; zUm?: number } | undefined;
devices.onStage = (position) => {
  stageNow = position.xy ? { xUm: position.xy.xUm, yUm: position.xy.yUm, zUm: position.z?.zUm } : undefined;
};
devices.onChannels = (presets) => planForm.setChannels(presets);
planForm.currentPosition = () => stageNow;
acquisition.onEnded = () => void datasets.refresh();
const agent = new AgentPanel();
devices.onLightLimit = (maxPowerPercent) => (agent.envelopePercent = maxPowerPercent);
const agentEvaluation = new AgentEvaluationView(byId('agent-evaluation'));
void agentEvaluation.refresh();
const care = new CarePanel();
const contrast: Contrast = { black: 0, white: 255, gamma: 1 };
const arrivals: number[] = [];
let lastHistogram: number[] = [];

function setConnection(state: 'connecting' | 'connected' | 'disconnected' | 'refused', text: string): void {
  const element = byId('connection');
  element.dataset.state = state;
  element.textContent = text;
  element.className = state === 'connected' ? 'ok' : 'bad';
}

function onFrame(message: FrameMessage): void {
  panes.show(message);
  if (message.kind !== 'raw') return;
  lastHistogram = message.histogram;
  drawHistogram(byId('histogram'), lastHistogram, contrast);
  const now = performance.now();
  arrivals.push(now);
  while (arrivals.length && now - arrivals[0] > 2000) arrivals.shift();
  byId('frame-number').textContent = String(message.sequence);
  byId('frame-size').textContent = `${message.sourceWidth}×${message.sourceHeight} (shown ${message.width}×${message.height})`;
  byId('frame-range').textContent = `${message.low} – ${message.high}`;
  byId('frame-rate').textContent = (arrivals.length / 2).toFixed(1);
  byId('frame-latency').textContent = `${Math.max(0, Date.now() - message.wallTimeMs)} ms`;
}

function onRecords(message: RecordsMessage, catalog: StreamCatalog): void {
  if (message.stream === 'acquisition') {
    const last = message.records[message.records.length - 1];
    if (last) acquisition.progress(last);
  } else if (message.stream === 'care-training') {
    care.training(message.records);
  } else if (message.stream === 'jobs') {
    void jobs.refresh();
  } else if (message.kind === 'series') {
    const info = catalog.records.find((r) => r.name === message.stream);
    plots.ensure(message.stream, info?.title ?? message.stream, info?.unit);
    plots.add(message.stream, message.records);
  } else if (message.kind === 'log') {
    agent.decisions(message.records);
  }
}

function connect(): Socket {
  let catalog: StreamCatalog = { images: [], records: [] };
  const socket = io({ transports: ['websocket'], auth: (cb) => cb({ token: currentToken() ?? '' }) });
  setConnection('connecting', 'connecting…');
  socket.on('connect', () => {
    setConnection('connected', 'connected');
    const shownPx = Math.round(Math.min(512, window.innerWidth * 0.44) * (window.devicePixelRatio || 1));
    socket.emit('view', { maxSizePx: Math.max(64, shownPx) });
  });
  socket.on('disconnect', () => setConnection('disconnected', 'disconnected — reconnecting…'));
  socket.on('connect_error', (err: Error) => {
    const refused = /^40[13]/.test(err.message);
    setConnection(
      refused ? 'refused' : 'disconnected',
      refused ? `refused: ${err.message} — enter a token` : `cannot connect (${err.message}) — retrying…`,
    );
  });
  socket.on('hello', (hello: { role: string; name: string }) => {
    byId('role').textContent = `${hello.name} · ${hello.role}`;
    applyRole(hello.role);
  });
  socket.on('streams', (next: StreamCatalog) => {
    catalog = next;
    panes.sync(catalog);
    for (const record of catalog.records) if (record.kind === 'series') plots.ensure(record.name, record.title, record.unit);
  });
  socket.on('frame', (message: FrameMessage, ack?: () => void) => {
    try {
      onFrame(message);
    } finally {
      // Acknowledging asks for the next frame: a busy tab gets fewer frames, never a backlog.
      ack?.();
    }
  });
  socket.on('records', (message: RecordsMessage, ack?: () => void) => {
    try {
      onRecords(message, catalog);
    } finally {
      ack?.();
    }
  });
  return socket;
}

let socket = connect();

byId('reconnect').addEventListener('click', () => {
  socket.close();
  socket = connect();
});
function reconnectWithToken(): void {
  socket.close();
  socket = connect();
  void agent.refresh();
  void agentEvaluation.refresh();
  void refreshHealth();
  void refreshPanels();
}
byId('token-save').addEventListener('click', () => {
  setToken(byId<HTMLInputElement>('token').value.trim());
  reconnectWithToken();
});
// A link with #token=… opened on the page already loaded.
window.addEventListener('hashchange', () => {
  if (/token=/.test(location.hash)) {
    currentToken();
    reconnectWithToken();
  }
});

function updateContrast(): void {
  contrast.black = Number(byId<HTMLInputElement>('contrast-black').value);
  contrast.white = Math.max(contrast.black + 1, Number(byId<HTMLInputElement>('contrast-white').value));
  contrast.gamma = Number(byId<HTMLInputElement>('contrast-gamma').value);
  panes.setContrast(contrast);
  drawHistogram(byId('histogram'), lastHistogram, contrast);
}
for (const id of ['contrast-black', 'contrast-white', 'contrast-gamma']) byId(id).addEventListener('input', updateContrast);
byId('contrast-reset').addEventListener('click', () => {
  byId<HTMLInputElement>('contrast-black').value = '0';
  byId<HTMLInputElement>('contrast-white').value = '255';
  byId<HTMLInputElement>('contrast-gamma').value = '1';
  updateContrast();
});
byId<HTMLInputElement>('overlay-toggle').addEventListener('change', (e) => panes.setOverlay((e.target as HTMLInputElement).checked));

async function refreshHealth(): Promise<void> {
  try {
    const health = await api<{ mode: string; microManager: { state: string } }>('GET', '/api/health');
    byId('mode').textContent = `${health.mode} · Micro-Manager ${health.microManager.state}`;
  } catch (err) {
    byId('mode').textContent = `health: ${(err as Error).message}`;
  }
}
async function refreshPanels(): Promise<void> {
  await Promise.all([devices.refresh(), datasets.refresh(), jobs.refresh()]);
}

void refreshHealth();
void refreshPanels();
setInterval(() => void refreshHealth(), 5000);
// the stage may be moved by another operator or a plan: follow it, cheaply
setInterval(() => void devices.refreshStage(), 3000);
