import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServerConfig } from './server.config';

/** A configured certificate or key that is missing, unreadable, not PEM, or not a pair: the service cannot start. */
export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';
}

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Reads and checks `server.tls` before the server is created, so a bad file is named by its config key and path
 * rather than surfacing as an OpenSSL error from deep inside https.createServer.
 */
export function readTlsFiles(tls: ServerConfig['tls']): TlsFiles | undefined {
  if (!tls) return undefined;
  const cert = readConfigured('server.tls.certificate', tls.certificate);
  const key = readConfigured('server.tls.key', tls.key);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (err) {
    throw new TlsFileError(`server.tls.certificate: ${resolve(tls.certificate)} is not a PEM certificate (${(err as Error).message})`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new TlsFileError(`server.tls.key: ${resolve(tls.key)} is not an unencrypted PEM private key (${(err as Error).message})`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsFileError(`server.tls.key: ${resolve(tls.key)} is not the key of the certificate ${resolve(tls.certificate)}`);
  }
  return { cert, key };
}

function readConfigured(configKey: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TlsFileError(`${configKey}: cannot read ${resolve(path)}: ${(err as Error).message}`);
  }
}
