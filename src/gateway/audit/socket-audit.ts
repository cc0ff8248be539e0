import type { Principal } from '../security/principal';
import type { ControlReply } from '../streams/client-control';
import type { AuditLog } from './audit-log';
import { summarizeBody } from './audit-entry';

/** Records one socket control message and the reply it got (refused, invalid or run). */
export function auditSocketControl(
  audit: AuditLog,
  principal: Principal,
  from: string,
  message: unknown,
  reply: ControlReply,
  at: Date,
): void {
  const action = (message as { action?: unknown } | null)?.action;
  const { action: _action, ...rest } = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : { message };
  audit.record({
    at: at.toISOString(),
    who: principal.name,
    role: principal.role,
    from,
    via: 'socket',
    action: `control ${typeof action === 'string' ? action.slice(0, 60) : '(no action)'}`,
    body: summarizeBody(rest),
    outcome: reply.ok ? { status: 200 } : { status: reply.status, error: reply.message },
    durationMs: Date.now() - at.getTime(),
  });
}
