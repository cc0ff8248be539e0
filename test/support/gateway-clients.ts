import { io, type Socket } from 'socket.io-client';
import { hashToken } from '../../src/gateway/security/token-hash';

export const VIEWER_TOKEN = 'viewer-token-for-tests-0001';
export const OPERATOR_TOKEN = 'operator-token-for-tests-0001';
export const LIMITED_TOKEN = 'limited-token-for-tests-0001';

/** Server overrides giving the service a viewer, an operator and a token the rate-limit test may exhaust (stored hashed, as a lab config would). */
export const TOKENS_CONFIG = {
  auth: {
    tokens: [
      { hash: hashToken(VIEWER_TOKEN), role: 'viewer', name: 'test-viewer' },
      { hash: hashToken(OPERATOR_TOKEN), role: 'operator', name: 'test-operator' },
      { hash: hashToken(LIMITED_TOKEN), role: 'viewer', name: 'test-limited' },
    ],
  },
};

export function socketFor(url: string, token?: string): Socket {
  return io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: token === undefined ? {} : { token } });
}

/** Resolves once connected; rejects with the server's refusal. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

export function emitWithReply<T>(socket: Socket, event: string, message: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, message) as Promise<T>;
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
