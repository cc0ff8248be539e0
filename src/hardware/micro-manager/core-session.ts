import { filter, firstValueFrom, pairwise } from 'rxjs';
import { BridgeProtocolError, BridgeRemoteError } from './errors';
import { JavaObject, toResult, type JavaResult } from './java-object';
import type { BridgeTransport } from './transport';
import { encodeRequest } from './wire';

export const EXPECTED_SERVER_VERSION = '5.1.0';

/**
 * Holds the remote CMMCore reference. A server that restarted forgets every object, so after a reconnect the
 * core is fetched again before the next call; a call that still meets a forgotten reference is retried once.
 */
export class CoreSession {
  private core?: Promise<JavaObject>;
  serverVersion?: string;

  constructor(private readonly transport: BridgeTransport) {
    transport.state$.pipe(pairwise(), filter(([before, now]) => now === 'connected' && before === 'disconnected')).subscribe(() => {
      this.core = undefined;
    });
  }

  async call(name: string, ...args: unknown[]): Promise<JavaResult> {
    const core = await this.getCore();
    try {
      return await core.call(name, ...args);
    } catch (err) {
      if (err instanceof BridgeRemoteError && err.javaClass === 'java.lang.NullPointerException') {
        this.core = undefined;
        return (await this.getCore()).call(name, ...args);
      }
      throw err;
    }
  }

  async waitConnected(timeoutMs: number): Promise<void> {
    if (this.transport.state$.value === 'connected') return;
    await Promise.race([
      firstValueFrom(this.transport.state$.pipe(filter((s) => s === 'connected'))),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`not connected to ${this.transport.endpoint} after ${timeoutMs} ms`)), timeoutMs)),
    ]);
  }

  private getCore(): Promise<JavaObject> {
    if (!this.core) {
      const pending = this.fetchCore();
      this.core = pending;
      pending.catch(() => {
        if (this.core === pending) this.core = undefined;
      });
    }
    return this.core;
  }

  private async fetchCore(): Promise<JavaObject> {
    const hello = await this.transport.request(encodeRequest({ command: 'connect', debug: false }), 'connect');
    if (hello.reply.type === 'none') this.serverVersion = hello.reply.version;
    const core = toResult(
      this.transport,
      await this.transport.request(
        encodeRequest({ command: 'constructor', classpath: 'mmcorej.CMMCore', 'argument-types': [], 'argument-deserialization-types': [], arguments: [] }),
        'constructor mmcorej.CMMCore',
      ),
      'constructor mmcorej.CMMCore',
    );
    if (!(core instanceof JavaObject)) {
      throw new BridgeProtocolError(`the server did not hand out a CMMCore object`, this.transport.endpoint, 'constructor');
    }
    return core;
  }
}
