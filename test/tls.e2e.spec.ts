import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import { createApp } from '../src/main';
import { loadConfig } from '../src/scope-config';
import { TlsFileError } from '../src/gateway/tls-files';
import { connected } from './support/gateway-clients';
import { startSimulatedApp, type RunningApp } from './support/start-app';

const ROOT = resolve(__dirname, '..');

/** A self-signed certificate for 127.0.0.1 made by the real openssl (scripts/install-system-deps.sh installs it). */
function selfSignedCertificate(directory: string): { certificate: string; key: string } {
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(
      `the TLS tests need the openssl command (run scripts/install-system-deps.sh): ${version.error?.message ?? version.stderr}`,
    );
  }
  const [certificate, key] = [join(directory, 'cert.pem'), join(directory, 'key.pem')];
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      certificate,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  return { certificate, key };
}

function fetchHttps(url: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    httpsGet(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    }).on('error', fail);
  });
}

/** What a plain-HTTP client gets on the port: the status if anything answered in HTTP, else the connection's error. */
function plainHttpAnswer(url: string): Promise<string> {
  return new Promise((done) => {
    const request = httpGet(url, { timeout: 5000 }, (res) => {
      res.resume();
      done(`HTTP ${res.statusCode}`);
    });
    request.on('timeout', () => request.destroy(new Error('no answer')));
    request.on('error', (err) => done(`error: ${err.message}`));
  });
}

describe('the service over TLS (a certificate made with openssl at test time)', () => {
  let directory: string;
  let files: { certificate: string; key: string };
  let ca: Buffer;
  let running: RunningApp;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'scope-tls-'));
    files = selfSignedCertificate(directory);
    ca = await readFile(files.certificate);
    running = await startSimulatedApp({ server: { tls: files }, storage: { directory }, simulation: { serialLightSource: false } });
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to a client that trusts the certificate', async () => {
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetchHttps(`${running.url}/api/health`, ca);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toHaveProperty('mode', 'simulation');
    await expect(fetchHttps(`${running.url}/api/health`)).rejects.toThrow(/self-signed|self signed/);
  });

  it('does not serve plain HTTP on that port', async () => {
    const answer = await plainHttpAnswer(`${running.url.replace('https:', 'http:')}/api/health`);
    expect(answer).toMatch(/^error: /);
  });

  it('carries socket.io over the same TLS port', async () => {
    const socket = io(running.url, { transports: ['websocket'], forceNew: true, reconnection: false, ca: ca.toString() });
    try {
      const hello = new Promise((done) => socket.once('hello', done));
      await connected(socket);
      expect(await hello).toMatchObject({ role: 'operator' });
    } finally {
      socket.close();
    }
  });

  it('refuses to start when a file is missing, unreadable as PEM, or not the pair, naming the key and the path', async () => {
    const notPem = join(directory, 'not-a-key.pem');
    writeFileSync(notPem, 'hello\n');
    const other = selfSignedCertificate(mkdtempSync(join(directory, 'other-')));
    const attempt = (tls: { certificate: string; key: string }) =>
      createApp(loadConfig({ overrides: { server: { tls }, logging: { level: 'error' } } }));
    const missing = join(directory, 'missing.pem');
    await expect(attempt({ ...files, certificate: missing })).rejects.toThrow(
      new TlsFileError(`server.tls.certificate: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`),
    );
    await expect(attempt({ ...files, key: notPem })).rejects.toThrow(`server.tls.key: ${notPem} is not an unencrypted PEM private key`);
    await expect(attempt({ ...files, key: other.key })).rejects.toThrow(
      `server.tls.key: ${other.key} is not the key of the certificate ${files.certificate}`,
    );
  });

  it('exits 78 from the real start-up, naming the missing file', () => {
    const config = join(directory, 'missing-tls.yaml');
    writeFileSync(config, `server:\n  tls:\n    certificate: ${join(directory, 'nowhere.pem')}\n    key: ${files.key}\n`);
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts', '--config', config], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(`refusing to start: server.tls.certificate: cannot read ${join(directory, 'nowhere.pem')}`);
  });
});
