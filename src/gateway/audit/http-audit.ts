import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../security/principal';
import type { AuditLog } from './audit-log';
import { summarizeBody } from './audit-entry';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every request that may change something is an operator action, whatever its route and whether it is allowed. */
export function isOperatorAction(method: string): boolean {
  return !READS.has(method.toUpperCase());
}

export interface AuditedRequest extends IncomingMessage {
  /** Parsed by Nest's body parser before any route middleware runs. */
  body?: unknown;
}

/**
 * Records `req` once its answer has gone (or the client left first): status, and the message of an error answer.
 * `who` is asked then, so it names the principal the security check found, or the one a refused token belongs to.
 */
export function auditWhenAnswered(
  audit: AuditLog,
  req: AuditedRequest,
  res: ServerResponse,
  action: string,
  who: () => Principal | undefined,
): void {
  const at = new Date();
  const errorMessage = keepErrorMessage(res);
  res.once('close', () => {
    const principal = who();
    audit.record({
      at: at.toISOString(),
      who: principal?.name ?? 'unauthenticated',
      role: principal?.role,
      from: req.socket.remoteAddress ?? 'unknown',
      via: 'http',
      action,
      body: summarizeBody(req.body),
      outcome: res.writableFinished
        ? { status: res.statusCode, error: errorMessage() }
        : { status: res.statusCode, error: 'the client closed the connection before the answer was sent' },
      durationMs: Date.now() - at.getTime(),
    });
  });
}

/** Watches what `res` ends with, to keep the `message` of an error answer (Nest's and ours are JSON). */
function keepErrorMessage(res: ServerResponse): () => string | undefined {
  let message: string | undefined;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    if (res.statusCode >= 400) message = messageIn(args[0]);
    return end(...args);
  }) as ServerResponse['end'];
  return () => message ?? (res.statusCode >= 400 ? res.statusMessage || `HTTP ${res.statusCode}` : undefined);
}

function messageIn(chunk: unknown): string | undefined {
  if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return undefined;
  const text = chunk.toString();
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
  } catch {
    // Not JSON: the text itself, shortened.
  }
  return text.slice(0, 200) || undefined;
}
