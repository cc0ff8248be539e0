import { timingSafeEqual } from 'node:crypto';
import type { ServerConfig } from '../server.config';
import { AuthenticationError, type Principal } from './principal';
import { digestOfStoredHash, tokenDigest } from './token-hash';

interface KnownToken {
  readonly digest: Buffer;
  readonly principal: Principal;
}

/** `Authorization: Bearer <token>` → the token, or undefined when the header says nothing usable. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Maps a presented token to a principal. Knows only the tokens' SHA-256 digests (the config stores no token), and
 * compares fixed-length digests in constant time, against every entry, so response times reveal neither how much
 * of a token was right nor which entry matched; keeps no token in any message it produces.
 */
export class TokenAuthenticator {
  private readonly known: readonly KnownToken[];
  /** With no tokens configured the service is loopback-only (the config refuses otherwise) and open. */
  readonly open: boolean;

  constructor(config: ServerConfig) {
    this.known = config.auth.tokens.map((entry, index) => {
      const name = entry.name ?? `${entry.role}-token-${index + 1}`;
      return { digest: digestOfStoredHash(entry.hash), principal: { role: entry.role, name, clientKey: `token:${name}` } };
    });
    this.open = this.known.length === 0;
  }

  authenticate(token: string | undefined, remoteAddress: string): Principal {
    if (this.open) return { role: 'operator', name: `local ${remoteAddress}`, clientKey: `address:${remoteAddress}` };
    if (!token) throw new AuthenticationError('a token is required: send "Authorization: Bearer <token>"');
    const digest = tokenDigest(token);
    let found: Principal | undefined;
    for (const entry of this.known) if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    if (!found) throw new AuthenticationError('the token is not valid');
    return found;
  }
}
