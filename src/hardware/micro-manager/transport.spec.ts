import { BridgeDisconnectedError, BridgeProtocolError, BridgeTimeoutError } from './errors';
import { toJavaResult } from './java-object';
import { BridgeTransport, type ConnectionState } from './transport';
import { jsonPart, startScriptedServer, type ServerAction } from './testing/scripted-server';

const answer = (request: Record<string, unknown>): ServerAction => ({
  reply: [jsonPart({ type: 'string', value: `answer to ${String(request.name)}` })],
});

function transportTo(endpoint: string, overrides: Partial<ConstructorParameters<typeof BridgeTransport>[0]> = {}) {
  return new BridgeTransport({ endpoint, timeoutMs: 2000, reconnectDelayMs: 50, reconnectMaxDelayMs: 400, ...overrides });
}

async function call(transport: BridgeTransport, name: string, timeoutMs?: number): Promise<unknown> {
  return toJavaResult(transport, await transport.request({ command: 'run-method', name }, name, timeoutMs), name);
}

function stateHistory(transport: BridgeTransport): ConnectionState[] {
  const history: ConnectionState[] = [];
  transport.state$.subscribe((state) => {
    if (history[history.length - 1] !== state) history.push(state);
  });
  return history;
}

describe('the lock-step transport', () => {
  it('serves 50 concurrent callers in order, each with its own answer; a broken reply fails only its own call', async () => {
    const server = await startScriptedServer((request) =>
      request.name === 'call-25' ? { reply: ['{"type": "string", "val'] } : answer(request),
    );
    const transport = transportTo(server.endpoint);
    try {
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => call(transport, `call-${i}`)));
      results.forEach((result, i) => {
        if (i === 25) {
          expect(result.status === 'rejected' && result.reason).toBeInstanceOf(BridgeProtocolError);
          expect(result.status === 'rejected' && (result.reason as Error).message).toMatch(
            /^call-25 on tcp:.*reply is not JSON.*socket reset$/,
          );
        } else {
          expect(result).toEqual({ status: 'fulfilled', value: `answer to call-${i}` });
        }
      });
      expect(server.received).toEqual(Array.from({ length: 50 }, (_, i) => `call-${i}`));
      expect(transport.stats.resets).toBe(1);
    } finally {
      transport.close();
      server.close();
    }
  });

  it('times out a call with no reply, reopens the socket and never hands the late reply to the next caller', async () => {
    const server = await startScriptedServer((request) =>
      request.name === 'getImage' ? { replyAfterMs: 600, reply: [jsonPart({ type: 'string', value: 'late' })] } : answer(request),
    );
    const transport = transportTo(server.endpoint);
    try {
      const failure = call(transport, 'getImage', 200);
      await expect(failure).rejects.toBeInstanceOf(BridgeTimeoutError);
      await expect(failure).rejects.toThrow(`getImage on ${server.endpoint} gave no reply in 200 ms`);
      await expect(failure).rejects.toMatchObject({ method: 'getImage', endpoint: server.endpoint, timeoutMs: 200 });
      expect(await call(transport, 'getVersionInfo')).toBe('answer to getVersionInfo');
      await new Promise((r) => setTimeout(r, 700));
      expect(await call(transport, 'getCameraDevice')).toBe('answer to getCameraDevice');
      expect(transport.stats.resets).toBe(1);
    } finally {
      transport.close();
      server.close();
    }
  });

  it('fails the call in flight when the server goes away, fails fast while it is away, and reconnects with backoff', async () => {
    const server = await startScriptedServer((request) => (request.name === 'popNextImage' ? 'close' : answer(request)));
    // A long connect wait: a call that waited for the server instead of failing fast would outlive the test.
    const transport = transportTo(server.endpoint, { connectWaitMs: 60_000 });
    const history = stateHistory(transport);
    let restarted: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
    try {
      expect(await call(transport, 'getRemainingImageCount')).toBe('answer to getRemainingImageCount');
      const lost = call(transport, 'popNextImage');
      await expect(lost).rejects.toBeInstanceOf(BridgeDisconnectedError);
      await expect(lost).rejects.toThrow(`popNextImage: the server at ${server.endpoint} went away during the call`);
      expect(transport.state$.value).toBe('disconnected');
      const away = call(transport, 'getVersionInfo');
      await expect(away).rejects.toBeInstanceOf(BridgeDisconnectedError);
      await expect(away).rejects.toThrow(`getVersionInfo: Micro-Manager at ${server.endpoint} is not reachable (disconnected)`);

      await new Promise((r) => setTimeout(r, 800));
      expect(transport.stats.reconnectAttempts).toBeGreaterThan(1);
      // ZeroMQ doubles the delay after each failed attempt.
      expect(transport.stats.lastReconnectDelayMs).toBeGreaterThan(50);

      restarted = await startScriptedServer(answer, server.endpoint);
      await new Promise<void>((resolve) => transport.state$.subscribe((s) => s === 'connected' && resolve()));
      expect(await call(transport, 'getVersionInfo')).toBe('answer to getVersionInfo');
      expect(history).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
    } finally {
      transport.close();
      server.close();
      restarted?.close();
    }
    expect(history[history.length - 1]).toBe('closed');
  });

  it('names the endpoint when nothing answers at all', async () => {
    const server = await startScriptedServer(answer);
    server.close();
    const transport = transportTo(server.endpoint, { connectWaitMs: 200 });
    try {
      // still connecting, or already given up on the first attempt: on a loaded machine either may be current
      const error = await call(transport, 'getVersionInfo').catch((err: unknown) => err);
      expect(error).toBeInstanceOf(BridgeDisconnectedError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^getVersionInfo: Micro-Manager at ${server.endpoint} is not reachable \\((connecting|disconnected)\\); reconnecting in the background$`,
        ),
      );
    } finally {
      transport.close();
    }
  });

  it('rejects the call in flight and every queued call when closed', async () => {
    const server = await startScriptedServer(() => 'silent');
    const transport = transportTo(server.endpoint);
    try {
      const calls = ['snapImage', 'getImage', 'getExposure'].map((name) => call(transport, name));
      await new Promise((r) => setTimeout(r, 100));
      transport.close();
      const results = await Promise.allSettled(calls);
      for (const result of results) {
        expect(result.status === 'rejected' && result.reason).toBeInstanceOf(BridgeDisconnectedError);
        expect(result.status === 'rejected' && (result.reason as Error).message).toMatch(/is closed/);
      }
      await expect(call(transport, 'getVersionInfo')).rejects.toThrow(/is closed/);
    } finally {
      server.close();
    }
  });
});
