import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { runScope } from './support/scope-cli';
import { startSimulatedApp } from './support/start-app';

/** The token, hash and config entry `scope token` printed. */
function printed(stdout: string): { token?: string; hash: string; entry: Record<string, unknown> } {
  const token = /^token: (\S+)$/m.exec(stdout)?.[1];
  const hash = /^hash: (\S+)$/m.exec(stdout)?.[1];
  const snippet = stdout.split(/^add to server\.auth\.tokens.*$/m)[1];
  if (!hash || !snippet) throw new Error(`scope token printed no hash or config entry:\n${stdout}`);
  const [entry] = parseYaml(snippet) as Record<string, unknown>[];
  return { token, hash, entry };
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('scope token (the real command line, and the service configured with its output)', () => {
  it('prints a random token, its SHA-256 and a config entry the service accepts that token by', async () => {
    const result = await runScope(['token', '--role', 'operator', '--name', 'cli-made']);
    expect(result.code).toBe(0);
    const { token, hash, entry } = printed(result.stdout);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(hash).toBe(sha256(token!));
    expect(entry).toEqual({ hash, role: 'operator', name: 'cli-made' });

    const running = await startSimulatedApp({ server: { auth: { tokens: [entry] } } });
    try {
      const health = await fetch(`${running.url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
      expect(health.status).toBe(200);
      const change = await fetch(`${running.url}/api/agent/off`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(change.status).toBe(200);
      const other = await fetch(`${running.url}/api/health`, { headers: { authorization: `Bearer ${token!.slice(1)}x` } });
      expect(other.status).toBe(401);
    } finally {
      await running.close();
    }
  }, 90_000);

  it('makes a different token each time', async () => {
    const [a, b] = await Promise.all([runScope(['token']), runScope(['token'])]);
    expect(printed(a.stdout).token).not.toBe(printed(b.stdout).token);
  });

  it('hashes an existing token from stdin without printing it, to migrate a plaintext config', async () => {
    const result = await runScope(['token', '--hash', '--role', 'viewer'], 90_000, 'an-old-plaintext-token-0001\n');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('an-old-plaintext-token-0001');
    expect(printed(result.stdout).hash).toBe(sha256('an-old-plaintext-token-0001'));
  });

  it('refuses an unknown role by name', async () => {
    const result = await runScope(['token', '--role', 'admin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--role must be viewer or operator, got "admin"/);
  });
});
