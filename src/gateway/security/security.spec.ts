import { requiredRole } from './access-policy';
import { originAllowed } from './origin-policy';
import { RateLimiter } from './rate-limiter';
import { AuthenticationError } from './principal';
import { TokenAuthenticator, bearerToken } from './token-authenticator';
import { hashToken, newToken } from './token-hash';
import { serverConfigSchema } from '../server.config';

const server = (over: Record<string, unknown> = {}) => serverConfigSchema.parse({ host: '127.0.0.1', port: 0, ...over });

describe('gateway security rules', () => {
  it('needs tokens whenever the service binds a non-loopback address', () => {
    const open = serverConfigSchema.safeParse({ host: '0.0.0.0', port: 3000 });
    expect(open.success).toBe(false);
    expect(open.error!.issues[0].path).toEqual(['auth', 'tokens']);
    expect(
      serverConfigSchema.safeParse({ host: '0.0.0.0', port: 3000, auth: { tokens: [{ hash: hashToken('x'.repeat(16)), role: 'viewer' }] } })
        .success,
    ).toBe(true);
    expect(serverConfigSchema.safeParse({ host: '::1', port: 3000 }).success).toBe(true);
    expect(
      serverConfigSchema.safeParse({ host: '127.0.0.1', port: 3000, auth: { tokens: [{ hash: 'sha256:abc', role: 'viewer' }] } }).success,
    ).toBe(false);
  });

  it('stores tokens only as hashes and refuses a plaintext token by name', () => {
    const plaintext = serverConfigSchema.safeParse({
      host: '127.0.0.1',
      port: 3000,
      auth: { tokens: [{ token: 'p'.repeat(20), role: 'viewer' }] },
    });
    expect(plaintext.success).toBe(false);
    const tokenIssue = plaintext.error!.issues.find((issue) => issue.path.join('.') === 'auth.tokens.0.token');
    expect(tokenIssue?.message).toMatch(/plaintext tokens are no longer accepted/);
    const twice = serverConfigSchema.safeParse({
      host: '127.0.0.1',
      port: 3000,
      auth: {
        tokens: [
          { hash: hashToken('a'.repeat(20)), role: 'viewer' },
          { hash: hashToken('a'.repeat(20)), role: 'operator' },
        ],
      },
    });
    expect(twice.error!.issues[0]).toMatchObject({ path: ['auth', 'tokens', 1, 'hash'], message: 'listed twice' });
    const token = newToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(hashToken(token)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(newToken()).not.toBe(token);
  });

  it('is open to loopback callers as operator without tokens, and needs a known token once tokens exist', () => {
    expect(new TokenAuthenticator(server()).authenticate(undefined, '127.0.0.1').role).toBe('operator');
    const guarded = new TokenAuthenticator(
      server({ auth: { tokens: [{ hash: hashToken('v'.repeat(20)), role: 'viewer', name: 'scope-room' }] } }),
    );
    expect(() => guarded.authenticate(undefined, '127.0.0.1')).toThrow(AuthenticationError);
    expect(() => guarded.authenticate('w'.repeat(20), '127.0.0.1')).toThrow(/not valid/);
    expect(guarded.authenticate('v'.repeat(20), '10.0.0.2')).toEqual({ role: 'viewer', name: 'scope-room', clientKey: 'token:scope-room' });
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('gives reads to viewers and changes to operators; the page and docs are public', () => {
    expect(requiredRole('GET', '/')).toBe('public');
    expect(requiredRole('GET', '/assets/app.js')).toBe('public');
    expect(requiredRole('GET', '/api/docs-json')).toBe('public');
    expect(requiredRole('GET', '/api/health')).toBe('viewer');
    expect(requiredRole('POST', '/api/plans/preview')).toBe('viewer');
    expect(requiredRole('POST', '/api/acquisitions')).toBe('operator');
    expect(requiredRole('PUT', '/api/devices/Camera/properties/Exposure')).toBe('operator');
    expect(requiredRole('POST', '/api/agent/on')).toBe('operator');
    expect(requiredRole('POST', '/')).toBe('operator');
    expect(requiredRole('GET', '/api/audit')).toBe('operator');
  });

  it('allows no-origin callers, the same host and listed origins only', () => {
    expect(originAllowed(undefined, 'scope:3000', [])).toBe(true);
    expect(originAllowed('http://scope:3000', 'scope:3000', [])).toBe(true);
    expect(originAllowed('http://evil.test', 'scope:3000', [])).toBe(false);
    expect(originAllowed('https://portal:8443', 'scope:3000', ['https://portal:8443'])).toBe(true);
  });

  it('limits each client per window and starts counting afresh in the next', () => {
    let nowMs = 0;
    const limiter = new RateLimiter(10, 2, () => nowMs);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([0, 0, 0]);
    nowMs = 4000;
    expect(limiter.take('a')).toBe(6);
    nowMs = 10_000;
    expect(limiter.take('a')).toBe(0);
  });
});
