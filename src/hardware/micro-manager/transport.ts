import { BehaviorSubject, type Subscription } from 'rxjs';
import * as zmq from 'zeromq';
import { BridgeDisconnectedError, BridgeProtocolError, BridgeRequestError, BridgeTimeoutError } from './errors';
import { ReplyFormatError, decodeReply, type DecodedReply } from './reply-decoding';
import { RequestEncodingError, encodeRequest, type BridgeRequest } from './request-encoding';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface TransportOptions {
  readonly endpoint: string;
  /** Default per-call limit; a call past it fails with BridgeTimeoutError and the socket is reopened. */
  readonly timeoutMs: number;
  /** First reconnect delay; ZeroMQ doubles it after every failed attempt up to `reconnectMaxDelayMs`. */
  readonly reconnectDelayMs?: number;
  readonly reconnectMaxDelayMs: number;
  /** How long a call waits for a connection that is being (re)established; default `timeoutMs`. */
  readonly connectWaitMs?: number;
}

export interface TransportStats {
  requests: number;
  /** Sockets closed and reopened after a timeout, a broken reply or a lost server. */
  resets: number;
  /** ZeroMQ's reconnect attempts, and the delay it announced before the latest one. */
  reconnectAttempts: number;
  lastReconnectDelayMs: number;
}

interface Pending {
  readonly parts: Buffer[];
  readonly method: string;
  readonly timeoutMs: number;
  resolve(reply: DecodedReply): void;
  reject(err: Error): void;
}

/**
 * One REQ socket in strict lock-step with Micro-Manager's REP server. Concurrent callers wait in a FIFO and are
 * served one at a time. A REQ socket cannot send again before its reply arrives, so a timeout, a broken reply or
 * a lost server closes the socket and opens a fresh one. While a server that was reachable is gone, calls fail
 * fast with BridgeDisconnectedError and ZeroMQ reconnects in the background with exponential backoff.
 */
export class BridgeTransport {
  readonly state$ = new BehaviorSubject<ConnectionState>('connecting');
  readonly stats: TransportStats = { requests: 0, resets: 0, reconnectAttempts: 0, lastReconnectDelayMs: 0 };
  private socket!: zmq.Request;
  private readonly queue: Pending[] = [];
  private draining = false;
  private abortInFlight?: (err: Error) => void;

  constructor(private readonly options: TransportOptions) {
    this.openSocket();
  }

  get endpoint(): string {
    return this.options.endpoint;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Encodes, queues and sends one request; `method` names the call in errors. */
  request(request: BridgeRequest, method: string, timeoutMs = this.options.timeoutMs): Promise<DecodedReply> {
    let parts: Buffer[];
    try {
      parts = encodeRequest(request);
    } catch (err) {
      if (!(err instanceof RequestEncodingError)) throw err;
      return Promise.reject(new BridgeRequestError(`${method} to ${this.endpoint}: ${err.message}`, this.endpoint, method));
    }
    if (this.state$.value === 'closed') return Promise.reject(this.closedError(method));
    return new Promise((resolve, reject) => {
      this.queue.push({ parts, method, timeoutMs, resolve, reject });
      void this.drain();
    });
  }

  close(): void {
    if (this.state$.value === 'closed') return;
    this.state$.next('closed');
    this.abortInFlight?.(this.closedError());
    for (const pending of this.queue.splice(0)) pending.reject(this.closedError(pending.method));
    this.socket.close();
    this.state$.complete();
  }

  private closedError(method?: string): BridgeDisconnectedError {
    return new BridgeDisconnectedError(
      `${method ? `${method}: ` : ''}the bridge client to ${this.endpoint} is closed`,
      this.endpoint,
      method,
    );
  }

  private openSocket(): void {
    const socket = new zmq.Request({
      linger: 0,
      reconnectInterval: this.options.reconnectDelayMs ?? 100,
      reconnectMaxInterval: this.options.reconnectMaxDelayMs,
      // Queue messages only on completed connections: a request never waits inside ZeroMQ for a missing server.
      immediate: true,
    });
    const current = () => socket === this.socket && this.state$.value !== 'closed';
    socket.events.on('handshake', () => {
      if (current()) this.state$.next('connected');
    });
    socket.events.on('disconnect', () => {
      if (!current()) return;
      this.state$.next('disconnected');
      this.abortInFlight?.(new BridgeDisconnectedError(`the server at ${this.endpoint} went away during the call`, this.endpoint));
    });
    socket.events.on('connect:retry', (event) => {
      if (!current()) return;
      this.stats.reconnectAttempts++;
      this.stats.lastReconnectDelayMs = event.interval;
    });
    this.socket = socket;
    socket.connect(this.options.endpoint);
  }

  private resetSocket(): void {
    this.stats.resets++;
    const old = this.socket;
    if (this.state$.value === 'connected') this.state$.next('connecting');
    this.openSocket();
    old.close();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          next.resolve(await this.exchange(next));
        } catch (err) {
          next.reject(err as Error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Resolves true once connected, false when `waitMs` passes or the client closes first. */
  private connectedWithin(waitMs: number): Promise<boolean> {
    if (this.state$.value === 'connected') return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      let subscription: Subscription | undefined;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        subscription?.unsubscribe();
        resolve(ok);
      };
      const timer = setTimeout(() => finish(false), waitMs);
      subscription = this.state$.subscribe({
        next: (state) => (state === 'connected' || state === 'closed') && finish(state === 'connected'),
        complete: () => finish(false),
      });
      if (done) subscription.unsubscribe();
    });
  }

  private async ensureConnected(pending: Pending): Promise<void> {
    const state = this.state$.value;
    if (state === 'connected') return;
    if (state === 'closed') throw this.closedError(pending.method);
    // A server that was there and went away: fail fast. A connection being set up: give it a moment.
    const waitMs = state === 'disconnected' ? 0 : (this.options.connectWaitMs ?? pending.timeoutMs);
    if (waitMs > 0 && (await this.connectedWithin(waitMs))) return;
    const now = this.state$.value;
    if (now === 'closed') throw this.closedError(pending.method);
    throw new BridgeDisconnectedError(
      `${pending.method}: Micro-Manager at ${this.endpoint} is not reachable (${now}); reconnecting in the background`,
      this.endpoint,
      pending.method,
    );
  }

  private async exchange(pending: Pending): Promise<DecodedReply> {
    await this.ensureConnected(pending);
    const socket = this.socket;
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      this.abortInFlight = reject;
      timer = setTimeout(() => reject(new BridgeTimeoutError(pending.method, this.endpoint, pending.timeoutMs)), pending.timeoutMs);
    });
    this.stats.requests++;
    try {
      const io = socket.send(pending.parts).then(() => socket.receive());
      // Once the socket is reset, its pending receive rejects; the race has settled by then.
      io.catch(() => undefined);
      const parts = await Promise.race([io, failure]);
      return decodeReply(parts);
    } catch (err) {
      throw this.afterFailure(err, pending);
    } finally {
      clearTimeout(timer);
      this.abortInFlight = undefined;
    }
  }

  /** Restores lock-step after a failed exchange and names the call in the error. */
  private afterFailure(err: unknown, pending: Pending): Error {
    if (this.state$.value === 'closed') return this.closedError(pending.method);
    if (err instanceof ReplyFormatError) {
      this.resetSocket();
      return new BridgeProtocolError(`${pending.method} on ${this.endpoint}: ${err.message}; socket reset`, this.endpoint, pending.method);
    }
    if (err instanceof BridgeTimeoutError) {
      this.resetSocket();
      return err;
    }
    if (err instanceof BridgeDisconnectedError) {
      this.resetSocket();
      return new BridgeDisconnectedError(`${pending.method}: ${err.message}`, this.endpoint, pending.method);
    }
    // ZeroMQ itself failed (e.g. the socket was closed under the call): treat it as a lost connection.
    this.resetSocket();
    return new BridgeDisconnectedError(`${pending.method} on ${this.endpoint}: ${(err as Error).message}`, this.endpoint, pending.method);
  }
}
