import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '../src/gateway/audit/audit-entry';
import { connected, emitWithReply, OPERATOR_TOKEN, socketFor, TOKENS_CONFIG, VIEWER_TOKEN, waitFor } from './support/gateway-clients';
import { simulatedAppPerSuite } from './support/start-app';

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

describe('the audit of operator actions (REST and socket.io against the service)', () => {
  const service = simulatedAppPerSuite('scope-audit-e2e-', { server: TOKENS_CONFIG, simulation: { serialLightSource: false } });

  const post = (path: string, token: string | undefined, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: token ? bearer(token) : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function auditAsOperator(query = ''): Promise<AuditEntry[]> {
    const response = await fetch(`${service.url}/api/audit${query}`, { headers: bearer(OPERATOR_TOKEN) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { entries: AuditEntry[] }).entries;
  }

  it('records every non-GET request with who, what, when and outcome, refused ones included', async () => {
    const before = new Date().toISOString();
    expect((await post('/api/agent/off', OPERATOR_TOKEN)).status).toBe(200);
    expect((await post('/api/agent/override', OPERATOR_TOKEN, { illuminationPercent: 500, token: 'not-for-the-log' })).status).toBe(400);
    expect((await post('/api/agent/on', VIEWER_TOKEN)).status).toBe(403);
    expect((await post('/api/agent/on', undefined)).status).toBe(401);
    await fetch(`${service.url}/api/health`, { headers: bearer(OPERATOR_TOKEN) });

    const entries = await auditAsOperator(`?since=${encodeURIComponent(before)}`);
    expect(entries.map((e) => [e.who, e.action, e.outcome.status])).toEqual([
      ['test-operator', 'POST /api/agent/off', 200],
      ['test-operator', 'POST /api/agent/override', 400],
      ['test-viewer', 'POST /api/agent/on', 403],
      ['unauthenticated', 'POST /api/agent/on', 401],
    ]);
    const [done, invalid, forbidden, anonymous] = entries;
    expect(done).toMatchObject({ via: 'http', role: 'operator', from: expect.stringMatching(/127\.0\.0\.1/) });
    expect(done.outcome.error).toBeUndefined();
    expect(Date.parse(done.at)).toBeGreaterThanOrEqual(Date.parse(before));
    expect(done.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(invalid.body).toBe('{illuminationPercent: 500, token: ***}');
    expect(invalid.outcome.error).toMatch(/illuminationPercent/);
    expect(forbidden.outcome.error).toMatch(/test-viewer is a viewer; this needs an operator/);
    expect(anonymous.outcome.error).toMatch(/token is required/);
  });

  it('records socket control messages with their replies: done, not found, invalid and refused', async () => {
    const before = new Date().toISOString();
    const operator = socketFor(service.url, OPERATOR_TOKEN);
    const viewer = socketFor(service.url, VIEWER_TOKEN);
    try {
      await Promise.all([connected(operator), connected(viewer)]);
      expect(await emitWithReply(operator, 'control', { action: 'light.allOff' })).toEqual({ ok: true });
      expect(await emitWithReply(operator, 'control', { action: 'acquisition.pause', acquisitionId: 'no-such-run' })).toMatchObject({
        status: 404,
      });
      expect(await emitWithReply(operator, 'control', { action: 'stage.fly' })).toMatchObject({ status: 400 });
      expect(await emitWithReply(viewer, 'control', { action: 'light.allOff' })).toMatchObject({ status: 403 });
    } finally {
      operator.close();
      viewer.close();
    }
    const entries = (await auditAsOperator(`?since=${encodeURIComponent(before)}`)).filter((e) => e.via === 'socket');
    expect(entries.map((e) => [e.who, e.action, e.outcome.status])).toEqual([
      ['test-operator', 'control light.allOff', 200],
      ['test-operator', 'control acquisition.pause', 404],
      ['test-operator', 'control stage.fly', 400],
      ['test-viewer', 'control light.allOff', 403],
    ]);
    expect(entries[1].body).toBe('{acquisitionId: "no-such-run"}');
    expect(entries[1].outcome.error).toMatch(/no-such-run/);
  });

  it('is readable by operators only, the newest by default, and refuses a bad query by name', async () => {
    const asViewer = await fetch(`${service.url}/api/audit`, { headers: bearer(VIEWER_TOKEN) });
    expect(asViewer.status).toBe(403);
    expect((await fetch(`${service.url}/api/audit`)).status).toBe(401);
    const all = await auditAsOperator('?limit=1000');
    const newestTwo = await auditAsOperator('?limit=2');
    expect(newestTwo.map((e) => e.seq)).toEqual(all.slice(-2).map((e) => e.seq));
    const bad = await fetch(`${service.url}/api/audit?limit=0&since=yesterday`, { headers: bearer(OPERATOR_TOKEN) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/since: .*limit: |limit: .*since: /);
  });

  it('appends the same entries, one JSON line each, to audit.jsonl in the data folder', async () => {
    const inMemory = await auditAsOperator('?limit=1000');
    const file = join(service.directory, 'audit.jsonl');
    const lines = await waitFor(
      async () => {
        const text = await readFile(file, 'utf8').catch(() => '');
        const parsed = text
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as AuditEntry);
        return parsed.length >= inMemory.length ? parsed : undefined;
      },
      5000,
      'the audit file',
    );
    expect(lines.slice(0, inMemory.length)).toEqual(inMemory);
  });
});
