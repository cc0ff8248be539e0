import { Inject, Injectable, Logger } from '@nestjs/common';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { GatewaySettings } from '../server.config';
import { originAllowed } from './origin-policy';
import { AuthenticationError, ForbiddenError, roleAllows, type Principal } from './principal';
import { RateLimiter } from './rate-limiter';
import { TokenAuthenticator } from './token-authenticator';
import type { Role } from '../server.config';

/** Too many requests from one client in the configured window: HTTP 429. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterS: number) {
    super(`rate limit reached: try again in ${retryAfterS} s`);
  }
}

/** A browser page from an origin not on the allow-list: HTTP 403. */
export class OriginRefusedError extends Error {
  override readonly name = 'OriginRefusedError';
}

export interface AccessRequest {
  readonly token: string | undefined;
  readonly remoteAddress: string;
  readonly origin: string | undefined;
  readonly host: string | undefined;
  readonly need: Role | 'public';
  /** What is being asked for, for the log (never contains the token). */
  readonly what: string;
}

/**
 * The one place that decides who may do what, for HTTP and socket.io alike: origin, token, rate, role, in that
 * order. Rejections are logged with the client's name and what it asked for, never with the token.
 */
@Injectable()
export class SecurityService {
  private readonly logger = new Logger('Security');
  private readonly authenticator: TokenAuthenticator;
  private readonly limiter: RateLimiter;
  readonly corsOrigins: readonly string[];

  constructor(@Inject(SCOPE_CONFIG) config: GatewaySettings) {
    this.authenticator = new TokenAuthenticator(config.server);
    this.limiter = new RateLimiter(config.server.rateLimit.windowS, config.server.rateLimit.maxRequests);
    this.corsOrigins = config.server.corsOrigins;
  }

  get open(): boolean {
    return this.authenticator.open;
  }

  /** Throws OriginRefusedError, AuthenticationError, RateLimitedError or ForbiddenError; answers who it is. */
  admit(request: AccessRequest): Principal | undefined {
    try {
      if (!originAllowed(request.origin, request.host, this.corsOrigins)) {
        throw new OriginRefusedError(`origin ${request.origin} is not allowed (server.corsOrigins)`);
      }
      if (request.need === 'public') return undefined;
      const principal = this.authenticator.authenticate(request.token, request.remoteAddress);
      this.checkRate(principal);
      this.authorize(principal, request.need);
      return principal;
    } catch (err) {
      this.logger.warn({
        msg: `refused ${request.what}: ${(err as Error).message}`,
        error: (err as Error).name,
        from: request.remoteAddress,
      });
      throw err;
    }
  }

  /** Who a token belongs to, without admitting anything: names the caller of a refused request in the audit. */
  identify(token: string | undefined, remoteAddress: string): Principal | undefined {
    try {
      return this.authenticator.authenticate(token, remoteAddress);
    } catch {
      return undefined;
    }
  }

  /** For messages on an admitted socket: counts against the same limit, checks the role. */
  admitMessage(principal: Principal, need: Role, what: string): void {
    try {
      this.checkRate(principal);
      this.authorize(principal, need);
    } catch (err) {
      this.logger.warn({ msg: `refused ${what}: ${(err as Error).message}`, error: (err as Error).name, client: principal.name });
      throw err;
    }
  }

  private checkRate(principal: Principal): void {
    const retryAfterS = this.limiter.take(principal.clientKey);
    if (retryAfterS > 0) throw new RateLimitedError(retryAfterS);
  }

  private authorize(principal: Principal, need: Role): void {
    if (!roleAllows(principal.role, need)) throw new ForbiddenError(`${principal.name} is a ${principal.role}; this needs an ${need}`);
  }
}

export function statusFor(err: unknown): number | undefined {
  if (err instanceof AuthenticationError) return 401;
  if (err instanceof ForbiddenError || err instanceof OriginRefusedError) return 403;
  if (err instanceof RateLimitedError) return 429;
  return undefined;
}
