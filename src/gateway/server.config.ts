import type { LiveConfig, StorageConfig } from '../acquisition/acquisition.config';
import { isIP } from 'node:net';
import { z } from 'zod';
import { TOKEN_HASH_PATTERN } from './security/token-hash';

export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

const tokenSchema = z
  .object({
    /**
     * SHA-256 of the secret a client presents as `Authorization: Bearer <token>` (or socket.io `auth.token`), so a
     * leaked config file gives no access. `scope token` makes a token and prints this.
     */
    hash: z.string().regex(TOKEN_HASH_PATTERN, 'must look like sha256:<64 hex digits> (scope token prints one)'),
    /** Plaintext tokens are refused by name, so an old config says how to migrate instead of "unknown key". */
    token: z
      .never({ error: 'plaintext tokens are no longer accepted: store its hash instead (`scope token --hash` reads it from stdin)' })
      .optional(),
    role: z.enum(ROLES),
    /** Shown in logs instead of the token, which is never logged. */
    name: z.string().min(1).optional(),
  })
  .strict();

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return host.startsWith('127.');
  if (family === 6) return host === '::1';
  return false;
}

export const serverConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    auth: z
      .object({
        /**
         * With no tokens the service is open to this machine only (it must then bind a loopback address); with
         * tokens every request and socket needs one, whatever the address.
         */
        tokens: z.array(tokenSchema).default([]),
      })
      .strict()
      .default({ tokens: [] }),
    /**
     * PEM files (paths from the working directory) to serve HTTPS, socket.io included, instead of HTTP; null: plain
     * HTTP. The key must be unencrypted and belong to the certificate.
     */
    tls: z
      .object({ certificate: z.string().min(1), key: z.string().min(1) })
      .strict()
      .nullable()
      .default(null),
    /** Origins (scheme://host:port) of other sites whose pages may call the API; the service's own page always may. */
    corsOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must look like http://host:port')).default([]),
    rateLimit: z
      .object({
        windowS: z.number().positive().max(3600),
        /** Requests (HTTP) or control messages (socket) one client may send in a window. */
        maxRequests: z.number().int().min(1),
      })
      .strict()
      .default({ windowS: 60, maxRequests: 1200 }),
    audit: z
      .object({
        /** Operator actions GET /api/audit can return; older ones are only in the file. */
        memoryEntries: z.number().int().min(1).max(100_000),
        /** Also append every entry to `<storage.directory>/audit.jsonl`. */
        file: z.boolean(),
      })
      .strict()
      .default({ memoryEntries: 1000, file: true }),
  })
  .strict()
  .superRefine((server, ctx) => {
    if (!isLoopbackHost(server.host) && server.auth.tokens.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'tokens'],
        message: `serving ${server.host} (not loopback) needs at least one token: remote access is never anonymous`,
      });
    }
    const seen = new Set<string>();
    server.auth.tokens.forEach((entry, index) => {
      if (seen.has(entry.hash)) ctx.addIssue({ code: 'custom', path: ['auth', 'tokens', index, 'hash'], message: 'listed twice' });
      seen.add(entry.hash);
    });
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** The sections the gateway reads (the root schema composes them). */
export interface GatewaySettings {
  readonly server: ServerConfig;
  readonly storage: StorageConfig;
  readonly live: LiveConfig;
  readonly simulation: { readonly enabled: boolean };
}
