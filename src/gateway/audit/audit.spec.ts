import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../scope-config';
import { summarizeBody, type AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';
import { RingBuffer } from './ring-buffer';

const entryAt = (at: string): Omit<AuditEntry, 'seq'> => ({
  at,
  who: 'test-operator',
  role: 'operator',
  from: '127.0.0.1',
  via: 'http',
  action: 'POST /api/agent/on',
  outcome: { status: 200 },
  durationMs: 1,
});

describe('the audit log', () => {
  it('summarises a body in one short line, masking secrets', () => {
    expect(summarizeBody(undefined)).toBeUndefined();
    expect(summarizeBody({})).toBeUndefined();
    expect(summarizeBody({ illuminationPercent: 40, token: 'abc', nested: { a: { deep: 1 } }, list: [1, 2] })).toBe(
      '{illuminationPercent: 40, token: ***, nested: {a: {1 keys}}, list: [1, 2]}',
    );
    expect(summarizeBody({ note: 'x'.repeat(100) })).toBe(`{note: "${'x'.repeat(39)}…"}`);
    expect(summarizeBody({ points: Array.from({ length: 500 }, (_, i) => i) })).toBe('{points: [500 items]}');
    expect(summarizeBody(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, i])))!.length).toBe(300);
  });

  it('keeps the newest entries in a bounded ring, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    [1, 2].forEach((n) => ring.push(n));
    expect(ring.toArray()).toEqual([1, 2]);
    [3, 4, 5].forEach((n) => ring.push(n));
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });

  it('answers the newest without since, pages forward from since, and appends every entry to the data folder', () => {
    const directory = mkdtempSync(join(tmpdir(), 'scope-audit-'));
    const audit = new AuditLog(loadConfig({ overrides: { storage: { directory }, server: { audit: { memoryEntries: 3, file: true } } } }));
    ['2030-01-01T00:00:01.000Z', '2030-01-01T00:00:02.000Z', '2030-01-01T00:00:03.000Z', '2030-01-01T00:00:04.000Z'].forEach((at) =>
      audit.record(entryAt(at)),
    );
    expect(audit.query({ limit: 2 }).map((e) => e.seq)).toEqual([3, 4]);
    expect(audit.query({ limit: 100 }).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(audit.query({ since: new Date('2030-01-01T00:00:03Z'), limit: 1 }).map((e) => e.seq)).toEqual([3]);
    const lines = readFileSync(join(directory, 'audit.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as AuditEntry).seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps entries in memory only when the file is off', () => {
    const audit = new AuditLog(loadConfig({ overrides: { server: { audit: { memoryEntries: 10, file: false } } } }));
    audit.record(entryAt('2030-01-01T00:00:00.000Z'));
    expect(audit.file).toBeNull();
    expect(audit.query({ limit: 10 })).toHaveLength(1);
  });
});
