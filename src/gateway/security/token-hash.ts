import { createHash, randomBytes } from 'node:crypto';

/** How a stored token looks in the config: the algorithm, then the digest in lower-case hex. */
export const TOKEN_HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** 256 random bits, URL-safe so it survives headers, `#token=` links and shells unquoted. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The value to store in `server.auth.tokens[].hash` for a token. */
export function hashToken(token: string): string {
  return `sha256:${tokenDigest(token).toString('hex')}`;
}

/** The digest a stored `sha256:<hex>` names (the config has already checked its shape). */
export function digestOfStoredHash(hash: string): Buffer {
  return Buffer.from(hash.slice('sha256:'.length), 'hex');
}
