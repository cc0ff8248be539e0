import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../src/main';
import { loadConfig } from '../src/scope-config';
import { freePort } from './support/free-port';

const ROOT = resolve(__dirname, '..');

describe('service start-up', () => {
  it('refuses to start on a bad configuration, naming the key and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scope-bad-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server:\n  port: "three thousand"\n');
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts', '--config', file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/refusing to start/);
    expect(result.stderr).toMatch(/server\.port:/);
  });

  it('runs without hardware and reports the bridge as not connected when no Micro-Manager answers', async () => {
    const [httpPort, bridgePort] = [await freePort(), await freePort()];
    const config = loadConfig({
      overrides: {
        microManager: { endpoint: `tcp://127.0.0.1:${bridgePort}`, timeoutMs: 300, reconnectMaxDelayMs: 500 },
        server: { host: '127.0.0.1', port: httpPort },
        logging: { level: 'error' },
      },
    });
    const app = await createApp(config);
    await app.listen(httpPort, '127.0.0.1');
    try {
      const health = (await (await fetch(`http://127.0.0.1:${httpPort}/api/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ mode: 'hardware', status: 'degraded', devices: [] });
      expect((health.microManager as { state: string }).state).not.toBe('connected');
    } finally {
      await app.close();
    }
  });
});
