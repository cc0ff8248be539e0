import { ROLES, type Role } from '../../gateway/server.config';
import { hashToken, newToken } from '../../gateway/security/token-hash';
import { z } from 'zod';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';

const USAGE = 'scope token [--role viewer|operator] [--name <shown in logs>] | scope token --hash < token-file';

// --role is checked below rather than by z.enum, so the message lists the roles the gateway knows.
const optionsSchema = z.object({
  role: z.string().optional().describe('viewer or operator; operator by default'),
  name: z.string().min(1).optional().describe('shown in logs; <role>-<date> by default'),
  hash: z.boolean().optional().describe('hash a token read from stdin instead of making one'),
});

/**
 * `scope token`: makes a random token and prints it with the hash and config entry to paste; the service stores only
 * the hash, so the token printed here is the one copy. `--hash` instead hashes an existing token read from stdin (to
 * migrate a plaintext config without putting the token on a command line, where shell history would keep it).
 */
export async function tokenCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, USAGE);
  if (positional.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const role = (options.role ?? 'operator') as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be ${ROLES.join(' or ')}, got "${role}"`);
  const name = options.name ?? `${role}-${new Date().toISOString().slice(0, 10)}`;
  const token = options.hash ? await tokenFromStdin() : newToken();
  const hash = hashToken(token);
  if (!options.hash) process.stdout.write(`token: ${token}\n`);
  process.stdout.write(`hash: ${hash}\n`);
  process.stdout.write(
    `add to server.auth.tokens in the service's config:\n    - {hash: "${hash}", role: ${role}, name: ${JSON.stringify(name)}}\n`,
  );
  return 0;
}

async function tokenFromStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const token = text.trim();
  if (token.length < 16) throw new UsageError('--hash reads the token from stdin; it must be at least 16 characters');
  return token;
}
