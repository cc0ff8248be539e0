import type { Role } from '../server.config';

/** Who is calling: the role decides what they may do; `name` is what logs show (never the token). */
export interface Principal {
  readonly role: Role;
  readonly name: string;
  /** Key for per-client limits. */
  readonly clientKey: string;
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2 };

export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** No token was presented, or an unknown one: HTTP 401, socket refused. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** A known client asked for something its role does not allow: HTTP 403. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}
