/**
 * A seeded fuzzer of the service's light paths: random plans (positions with random properties, channels, presets,
 * exposures, intervals) and random REST and socket requests, malformed ones among them. It asks only for answers
 * a client can rely on: a 2xx, or a 4xx that names the field; the light record is judged by the caller.
 */
import type { Socket } from 'socket.io-client';
import { seededRandom } from '../../simulators/serial-light-source/faults';
import { connected, emitWithReply, socketFor } from '../support/gateway-clients';

export interface FuzzOptions {
  readonly url: string;
  readonly seed: number;
  readonly plans: number;
  /** Random REST and socket requests sent while plans run. */
  readonly requestsPerPlan: number;
  /** Stop early (and say so) after this long. */
  readonly deadlineMs: number;
}

export interface FuzzReport {
  readonly seed: number;
  plansSent: number;
  plansStarted: number;
  plansFinished: number;
  plansRefused: number;
  requestsSent: number;
  socketMessagesSent: number;
  readonly statuses: Record<string, number>;
  /** Answers that broke the contract: a 5xx, a 4xx without a field name, a run that failed. */
  readonly problems: string[];
  stoppedAtDeadline: boolean;
  seconds: number;
}

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const int = (r: Random, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

const POWER_VALUES = [
  0,
  5,
  20,
  50,
  79.9,
  80,
  80.0001,
  81,
  100,
  150,
  1e9,
  -5,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  'abc',
  '',
  ' 90 ',
  null,
  true,
  [100],
  { v: 100 },
];
const PRESETS = ['DAPI', 'FITC', 'Cy5', 'LED-Dim', 'LED-Max', 'LED-Max', 'DAPI', 'FITC', 'LED-Dim', 'Rhodamine', 'Nope', ''];
const EXPOSURES = [1, 2, 3, 1, 2, 0, 1e9, 100, -1, 'x', null];

function randomProperty(r: Random): unknown {
  if (r() < 0.8) {
    return pick(r, [
      () => ['LED', 'Intensity', pick(r, POWER_VALUES)],
      () => ['LED', 'Intensity', pick(r, POWER_VALUES)],
      () => ['LED', 'State', pick(r, [0, 1, '1', '0'])],
      () => ['Shutter', 'State', pick(r, [0, 1])],
      () => ['LED', 'Wavelength', pick(r, ['470', '555'])],
    ])();
  }
  return pick(r, [
    () => ['LED', 'State', pick(r, ['on', 2])],
    () => ['LED', 'Wavelength', '999'],
    () => ['LED', 'MaxPower_mW', 500],
    () => ['NoSuchDevice', 'Intensity', 100],
    () => ['LED', 'NoSuchProperty', 1],
    () => ['LED', 'Intensity'],
    () => 'LED Intensity 100',
  ])();
}

/** A plan, usually well-formed; now and then malformed in one field. Small: at most 3 × 2 × 2 frames. */
export function randomPlan(r: Random): unknown {
  const plan: Record<string, unknown> = {};
  if (r() < 0.8)
    plan.stage_positions = times(int(r, 1, 3), () => ({
      x: int(r, -50, 50),
      y: int(r, -50, 50),
      ...(r() < 0.7 ? { properties: times(int(r, 1, 3), () => randomProperty(r)) } : {}),
    }));
  if (r() < 0.7)
    plan.channels = times(int(r, 1, 2), () => ({ config: pick(r, PRESETS), ...(r() < 0.5 ? { exposure: pick(r, EXPOSURES) } : {}) }));
  if (r() < 0.3) plan.time_plan = { interval: pick(r, [0, 0.002, 0, 0.002, -1, 'soon']), loops: pick(r, [1, 2, 1, 2, 0, -3]) };
  if (r() < 0.05) plan[pick(r, ['colour', 'stage_position', 'z'])] = 1;
  if (r() < 0.03) return pick(r, [[], 'plan', 42, null]);
  return plan;
}

interface RandomRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Sent as this text instead of JSON. */
  readonly raw?: string;
}

export function randomRequest(r: Random): RandomRequest {
  return pick(r, [
    () => ({ method: 'PUT', path: '/api/devices/LED/properties/Intensity', body: { value: pick(r, POWER_VALUES) } }),
    () => ({
      method: 'PUT',
      path: `/api/devices/${pick(r, ['LED', 'Shutter', 'Camera', 'Nope'])}/properties/${pick(r, ['State', 'Intensity', 'Exposure', 'X'])}`,
      body: { value: pick(r, POWER_VALUES) },
    }),
    () => ({
      method: 'PUT',
      path: `/api/illumination/channels/${pick(r, [0, 1, 2, 3, 7, -1, 'x'])}`,
      body: { powerPercent: pick(r, POWER_VALUES), ...(r() < 0.5 ? { on: pick(r, [true, false, 'yes']) } : {}) },
    }),
    () => ({ method: 'POST', path: '/api/illumination/off' }),
    () => ({ method: 'PUT', path: `/api/config-groups/${pick(r, ['Channel', 'Objective', 'Nope'])}`, body: { preset: pick(r, PRESETS) } }),
    () => ({ method: 'PUT', path: '/api/devices/LED/properties/Intensity', raw: pick(r, ['{"value": 100', 'value=100', '[]', '']) }),
    () => ({ method: 'PUT', path: '/api/config-groups/Channel', body: { preset: 'LED-Max', extra: 1 } }),
  ])();
}

function randomControl(r: Random): unknown {
  return pick(r, [
    () => ({ action: 'light.allOff' }),
    () => ({
      action: pick(r, ['acquisition.pause', 'acquisition.resume', 'acquisition.cancel']),
      acquisitionId: pick(r, ['no-such-run', '']),
    }),
    () => ({ action: 'light.on' }),
    () => ({ action: 'light.allOff', powerPercent: 100 }),
    () => 'allOff',
  ])();
}

/** "field: problem" somewhere in the message: the client is told which part of its request was wrong. */
const NAMES_A_FIELD = /[\w\]"]\s*:\s*\S/;

async function send(url: string, request: RandomRequest): Promise<{ status: number; message: string; id?: string }> {
  const body = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { message?: unknown; id?: unknown };
    const message = Array.isArray(parsed.message) ? parsed.message.join('; ') : String(parsed.message ?? '');
    return { status: response.status, message, id: typeof parsed.id === 'string' ? parsed.id : undefined };
  } catch {
    return { status: response.status, message: text };
  }
}

export async function fuzzService(options: FuzzOptions): Promise<FuzzReport> {
  const r = seededRandom(options.seed);
  const report: FuzzReport = {
    seed: options.seed,
    plansSent: 0,
    plansStarted: 0,
    plansFinished: 0,
    plansRefused: 0,
    requestsSent: 0,
    socketMessagesSent: 0,
    statuses: {},
    problems: [],
    stoppedAtDeadline: false,
    seconds: 0,
  };
  const startedAt = Date.now();
  const judge = (what: string, status: number, message: string) => {
    report.statuses[status] = (report.statuses[status] ?? 0) + 1;
    if (status >= 500) report.problems.push(`${what}: ${status} ${message}`);
    else if (status >= 400 && status !== 409 && !NAMES_A_FIELD.test(message))
      report.problems.push(`${what}: ${status} names no field: ${message}`);
  };
  const socket: Socket = socketFor(options.url);
  await connected(socket);
  try {
    for (let i = 0; i < options.plans; i++) {
      if (Date.now() - startedAt > options.deadlineMs) {
        report.stoppedAtDeadline = true;
        break;
      }
      const plan = randomPlan(r);
      report.plansSent++;
      const started = await send(options.url, { method: 'POST', path: '/api/acquisitions', body: plan });
      judge(`plan ${i} ${JSON.stringify(plan).slice(0, 200)}`, started.status, started.message);
      if (started.status >= 400) report.plansRefused++;
      const id = started.status === 201 ? started.id : undefined;
      if (id) report.plansStarted++;
      for (let k = 0; k < options.requestsPerPlan; k++) {
        if (r() < 0.2) {
          const message = randomControl(r);
          const reply = await emitWithReply<{ ok: boolean; status?: number; message?: string }>(socket, 'control', message);
          report.socketMessagesSent++;
          if (!reply.ok) judge(`socket ${JSON.stringify(message)}`, reply.status ?? 0, reply.message ?? '');
          continue;
        }
        const request = randomRequest(r);
        const reply = await send(options.url, request);
        report.requestsSent++;
        judge(`${request.method} ${request.path} ${request.raw ?? JSON.stringify(request.body)}`, reply.status, reply.message);
      }
      if (id) {
        const end = await untilOver(options.url, id);
        if (end.state === 'finished') report.plansFinished++;
        else if (!/cancel/.test(end.state))
          report.problems.push(`plan ${i} ${JSON.stringify(plan).slice(0, 200)} ended ${end.state}: ${end.error}`);
      }
    }
  } finally {
    socket.close();
    report.seconds = (Date.now() - startedAt) / 1000;
  }
  return report;
}

async function untilOver(url: string, id: string): Promise<{ state: string; error?: string }> {
  for (;;) {
    const status = (await (await fetch(`${url}/api/acquisitions/${id}`)).json()) as { state: string; error?: string };
    if (['finished', 'cancelled', 'failed'].includes(status.state)) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
