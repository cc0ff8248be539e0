import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../scope-config';
import { ConfigError, configSourcesFromProcess } from './load-config';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scope-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has defaults that bind loopback on port 3000 with simulation off', () => {
    const config = loadConfig();
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3000, auth: { tokens: [] } });
    expect(config.simulation.enabled).toBe(false);
    expect(config.microManager.endpoint).toBe('tcp://127.0.0.1:4827');
  });

  it('merges a YAML file over the defaults, keeping the keys it does not name', () => {
    const file = tempFile('lab.yaml', 'server:\n  port: 3100\nsimulation:\n  enabled: true\n');
    const config = loadConfig({ file });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3100 });
    expect(config.simulation.enabled).toBe(true);
    expect(config.simulation.seed).toBe(1);
  });

  it('reads JSON files too', () => {
    const file = tempFile('lab.json', JSON.stringify({ microManager: { endpoint: 'tcp://10.0.0.5:4827' } }));
    expect(loadConfig({ file }).microManager.endpoint).toBe('tcp://10.0.0.5:4827');
  });

  it('names the key and the reason for a bad value', () => {
    const file = tempFile('bad.yaml', 'server:\n  port: 70000\nsimulation:\n  enabled: "yes"\n');
    const problems = problemsOf(() => loadConfig({ file }));
    expect(problems.some((p) => p.startsWith('server.port:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('simulation.enabled:'))).toBe(true);
  });

  it('keeps zarr v2 by default, takes v3 with its shard size from a file, and names a version there is not', () => {
    expect(loadConfig().storage.zarr).toEqual({ version: 2, shardTargetMiB: 256 });
    const file = tempFile('zarr.yaml', 'storage:\n  format: ome-zarr\n  zarr:\n    version: 3\n    shardTargetMiB: 64\n');
    expect(loadConfig({ file }).storage).toMatchObject({ format: 'ome-zarr', zarr: { version: 3, shardTargetMiB: 64 } });
    const bad = tempFile('zarr4.yaml', 'storage:\n  zarr:\n    version: 4\n');
    expect(problemsOf(() => loadConfig({ file: bad }))).toContain(
      'storage.zarr.version: must be 2 (NGFF 0.4 on zarr v2) or 3 (NGFF 0.5 on zarr v3 shards)',
    );
  });

  it("carries the agent's settings, refusing a bad one or an inconsistent pair by name", () => {
    const file = tempFile('agent.yaml', 'agent:\n  enabled: true\n  params:\n    doseBudgetPercentSeconds: 250\n');
    const agent = loadConfig({ file }).agent;
    expect(agent.enabled).toBe(true);
    expect(agent.params).toMatchObject({ doseBudgetPercentSeconds: 250, maxIlluminationPercent: 60, riskThreshold: 0.3 });
    expect(problemsOf(() => loadConfig({ file: tempFile('risk.yaml', 'agent:\n  params:\n    riskThreshold: 2\n') }))[0]).toMatch(
      /^agent\.params\.riskThreshold:/,
    );
    expect(problemsOf(() => loadConfig({ file: tempFile('order.yaml', 'agent:\n  params:\n    startIlluminationPercent: 70\n') }))).toEqual(
      ['agent.params.startIlluminationPercent: must not exceed maxIlluminationPercent (70 > 60)'],
    );
    expect(problemsOf(() => loadConfig({ file: tempFile('typo.yaml', 'agent:\n  params:\n    doseBudget: 5\n') }))).toEqual([
      'agent.params.doseBudget: unknown key',
    ]);
  });

  it('refuses unknown keys, naming them', () => {
    const file = tempFile('typo.yaml', 'server:\n  prot: 3000\n');
    expect(problemsOf(() => loadConfig({ file }))).toEqual(['server.prot: unknown key']);
  });

  it('refuses an endpoint that is not tcp://host:port', () => {
    const file = tempFile('ep.yaml', 'microManager:\n  endpoint: localhost\n');
    expect(problemsOf(() => loadConfig({ file }))[0]).toMatch(/^microManager\.endpoint: must look like tcp:\/\/host:port/);
  });

  it('says so when the file is missing or not YAML', () => {
    expect(problemsOf(() => loadConfig({ file: '/nonexistent/scope.yaml' }))[0]).toMatch(/cannot read the file/);
    const broken = tempFile('broken.yaml', 'server: [1, 2\n');
    expect(problemsOf(() => loadConfig({ file: broken }))[0]).toMatch(/not valid YAML/);
  });

  it('takes --config over SCOPE_CONFIG and applies --simulation and --port last', () => {
    const sources = configSourcesFromProcess(['--config', 'a.yaml', '--simulation', '--port', '4000'], {
      SCOPE_CONFIG: 'b.yaml',
    });
    expect(sources).toEqual({ file: 'a.yaml', overrides: { simulation: { enabled: true }, server: { port: 4000 } } });
    expect(configSourcesFromProcess([], { SCOPE_CONFIG: 'b.yaml' }).file).toBe('b.yaml');
  });
});
