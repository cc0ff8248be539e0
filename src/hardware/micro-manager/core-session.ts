import { filter, pairwise, type Subscription } from 'rxjs';
import { BridgeDisconnectedError, BridgeProtocolError, BridgeRemoteError } from './errors';
import { JavaObject, toJavaResult, type CallOptions, type JavaResult } from './java-object';
import type { BridgeTransport } from './transport';

/**
 * Holds the remote CMMCore reference. A server that restarted forgets every object, so after a reconnect the
 * core is fetched again before the next call; a call that still meets the forgotten reference (the server
 * answers a NullPointerException for an unknown hash, before running anything) is retried once.
 */
export class CoreSession {
  private core?: Promise<JavaObject>;
  private readonly subscription: Subscription;
  serverVersion?: string;

  constructor(private readonly transport: BridgeTransport) {
    this.subscription = transport.state$
      .pipe(
        pairwise(),
        filter(([before, now]) => now === 'connected' && before === 'disconnected'),
      )
      .subscribe(() => {
        this.core = undefined;
      });
  }

  async invoke(name: string, args: readonly unknown[] = [], options?: CallOptions): Promise<JavaResult> {
    const used = this.getCore();
    try {
      return await (await used).invoke(name, args, options);
    } catch (err) {
      if (err instanceof BridgeRemoteError && err.javaClass === 'java.lang.NullPointerException') {
        if (this.core === used) this.core = undefined;
        return (await this.getCore()).invoke(name, args, options);
      }
      throw err;
    }
  }

  call(name: string, ...args: unknown[]): Promise<JavaResult> {
    return this.invoke(name, args);
  }

  /** The remote CMMCore, fetched on first use and again after the server restarted. */
  getCore(): Promise<JavaObject> {
    if (!this.core) {
      const pending = this.fetchCore();
      this.core = pending;
      pending.catch(() => {
        if (this.core === pending) this.core = undefined;
      });
    }
    return this.core;
  }

  async waitConnected(timeoutMs: number): Promise<void> {
    if (this.transport.state$.value === 'connected') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(
          new BridgeDisconnectedError(
            `Micro-Manager at ${this.transport.endpoint} not reachable within ${timeoutMs} ms`,
            this.transport.endpoint,
          ),
        );
      }, timeoutMs);
      const subscription = this.transport.state$.pipe(filter((s) => s === 'connected' || s === 'closed')).subscribe((state) => {
        clearTimeout(timer);
        queueMicrotask(() => subscription.unsubscribe());
        if (state === 'connected') resolve();
        else reject(new BridgeDisconnectedError(`the bridge client to ${this.transport.endpoint} is closed`, this.transport.endpoint));
      });
    });
  }

  dispose(): void {
    this.subscription.unsubscribe();
  }

  /** A new Java object from its no-argument constructor (e.g. an mmcorej.DoubleVector to pass to the core). */
  async construct(classpath: string): Promise<JavaObject> {
    const method = `constructor ${classpath}`;
    const request = {
      command: 'constructor',
      classpath,
      'argument-types': [],
      'argument-deserialization-types': [],
      arguments: [],
    };
    const made = toJavaResult(this.transport, await this.transport.request(request, method), method);
    if (!(made instanceof JavaObject)) {
      throw new BridgeProtocolError(
        `${method} on ${this.transport.endpoint}: the server did not hand out a ${classpath} object`,
        this.transport.endpoint,
        method,
      );
    }
    return made;
  }

  private async fetchCore(): Promise<JavaObject> {
    const hello = await this.transport.request({ command: 'connect', debug: false }, 'connect');
    if (hello.kind === 'value' && hello.reply.type === 'none') this.serverVersion = hello.reply.version;
    return this.construct('mmcorej.CMMCore');
  }
}
