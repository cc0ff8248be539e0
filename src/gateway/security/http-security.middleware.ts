import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditLog } from '../audit/audit-log';
import { auditWhenAnswered, isOperatorAction, type AuditedRequest } from '../audit/http-audit';
import { requiredRole } from './access-policy';
import type { Principal } from './principal';
import { RateLimitedError, SecurityService, statusFor } from './security';
import { bearerToken } from './token-authenticator';

type Request = AuditedRequest & { originalUrl?: string; principal?: Principal };

const ERROR_NAMES: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' };

/**
 * Every HTTP request passes here before any controller (and before the API docs): CORS for allowed origins,
 * then SecurityService's verdict; every operator action (allowed or refused) goes to the audit. Middleware rather
 * than a guard so that routes Nest did not declare (the OpenAPI UI) are covered too.
 */
@Injectable()
export class HttpSecurityMiddleware implements NestMiddleware<Request, ServerResponse> {
  constructor(
    private readonly security: SecurityService,
    private readonly audit: AuditLog,
  ) {}

  use(req: Request, res: ServerResponse, next: (error?: unknown) => void): void {
    const origin = header(req, 'origin');
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
    if (origin && this.security.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.end();
        return;
      }
    }
    const token = bearerToken(header(req, 'authorization'));
    const remoteAddress = req.socket.remoteAddress ?? 'unknown';
    if (isOperatorAction(req.method ?? 'GET')) {
      auditWhenAnswered(this.audit, req, res, `${req.method} ${path}`, () => req.principal ?? this.security.identify(token, remoteAddress));
    }
    try {
      req.principal = this.security.admit({
        token,
        remoteAddress,
        origin,
        host: header(req, 'host'),
        need: requiredRole(req.method ?? 'GET', path),
        what: `${req.method} ${path}`,
      });
      next();
    } catch (err) {
      const status = statusFor(err);
      if (status === undefined) return next(err);
      if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterS));
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ statusCode: status, error: ERROR_NAMES[status], message: (err as Error).message }));
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
