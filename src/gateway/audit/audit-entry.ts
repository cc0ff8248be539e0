import type { Role } from '../server.config';

/** One operator action: who asked, what, when, and how it ended. */
export interface AuditEntry {
  /** Increases by one per entry since the service started. */
  readonly seq: number;
  /** When the request or message arrived (ISO 8601, UTC). */
  readonly at: string;
  /** The principal's name (a token's name, or `local <address>` when open); `unauthenticated` when none matched. */
  readonly who: string;
  readonly role?: Role;
  readonly from: string;
  readonly via: 'http' | 'socket';
  /** `POST /api/acquisitions`, or `control light.allOff` for a socket message. */
  readonly action: string;
  /** The body or message, shortened; secrets masked. */
  readonly body?: string;
  readonly outcome: AuditOutcome;
  readonly durationMs: number;
}

/** The HTTP status (socket replies use the same codes, 200 for ok) and, when it failed, why. */
export interface AuditOutcome {
  readonly status: number;
  readonly error?: string;
}

const SECRET_KEY = /token|secret|password|authorization/i;
const MAX_SUMMARY_CHARS = 300;
const MAX_STRING_CHARS = 40;

/** A short, one-line picture of a JSON body: two levels deep, long strings and arrays shortened, secrets masked. */
export function summarizeBody(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return undefined;
  return clip(brief(body, 2), MAX_SUMMARY_CHARS);
}

function brief(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(clip(value, MAX_STRING_CHARS));
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    return depth > 0 && value.length <= 4 ? `[${value.map((item) => brief(item, depth - 1)).join(', ')}]` : `[${value.length} items]`;
  }
  const entries = Object.entries(value);
  if (depth === 0) return `{${entries.length} keys}`;
  return `{${entries.map(([key, item]) => `${key}: ${SECRET_KEY.test(key) ? '***' : brief(item, depth - 1)}`).join(', ')}}`;
}

function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
