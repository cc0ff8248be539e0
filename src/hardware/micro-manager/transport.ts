import { BehaviorSubject } from 'rxjs';
import * as zmq from 'zeromq';
import { BridgeDisconnectedError, BridgeProtocolError, BridgeTimeoutError } from './errors';
import { WireFormatError, decodeReply, type DecodedReply } from './wire';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface TransportOptions {
  readonly endpoint: string;
  readonly timeoutMs: number;
  readonly reconnectMaxDelayMs: number;
  /** How long a call made before the first connection waits for it. */
  readonly connectWaitMs?: number;
}

interface Pending {
  readonly parts: Buffer[];
  readonly method: string;
  readonly timeoutMs: number;
  resolve(reply: DecodedReply): void;
  reject(err: Error): void;
}

/**
 * One REQ socket in strict lock-step: callers are queued and served one at a time. A timeout, a broken reply
 * or a lost connection resets the socket (a REQ socket cannot send again without its reply). ZeroMQ reconnects
 * with exponential backoff up to `reconnectMaxDelayMs`; while the server is away calls fail fast.
 */
export class BridgeTransport {
  readonly state$ = new BehaviorSubject<ConnectionState>('connecting');
  private socket!: zmq.Request;
  private readonly queue: Pending[] = [];
  private busy = false;
  private inFlightAbort?: (err: Error) => void;
  private everConnected = false;
  resets = 0;

  constructor(private readonly options: TransportOptions) {
    this.openSocket();
  }

  get endpoint(): string {
    return this.options.endpoint;
  }

  request(parts: Buffer[], method: string, timeoutMs = this.options.timeoutMs): Promise<DecodedReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ parts, method, timeoutMs, resolve, reject });
      void this.drain();
    });
  }

  close(): void {
    if (this.state$.value === 'closed') return;
    this.state$.next('closed');
    this.socket.close();
    for (const pending of this.queue.splice(0)) {
      pending.reject(new BridgeDisconnectedError(`${pending.method}: the bridge client to ${this.endpoint} is closed`, this.endpoint, pending.method));
    }
    this.inFlightAbort?.(new BridgeDisconnectedError(`the bridge client to ${this.endpoint} was closed`, this.endpoint));
    this.state$.complete();
  }

  private openSocket(): void {
    const socket = new zmq.Request({
      linger: 0,
      reconnectInterval: 100,
      reconnectMaxInterval: this.options.reconnectMaxDelayMs,
      // Queue requests only to completed connections, so a call cannot sit waiting for a server that is gone.
      immediate: true,
    });
    socket.events.on('connect', () => {
      if (socket !== this.socket || this.state$.value === 'closed') return;
      this.everConnected = true;
      this.state$.next('connected');
    });
    socket.events.on('disconnect', () => {
      if (socket !== this.socket || this.state$.value === 'closed') return;
      this.state$.next('disconnected');
      this.inFlightAbort?.(new BridgeDisconnectedError(`the server at ${this.endpoint} went away during the call`, this.endpoint));
    });
    socket.connect(this.options.endpoint);
    this.socket = socket;
  }

  private resetSocket(): void {
    this.resets++;
    const old = this.socket;
    const wasConnected = this.state$.value === 'connected';
    this.openSocket();
    old.close();
    // The new socket reports 'connect' by itself; until then a live server counts as reconnecting.
    if (wasConnected) this.state$.next('connecting');
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          next.resolve(await this.exchange(next));
        } catch (err) {
          next.reject(err as Error);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async waitUntilUsable(pending: Pending): Promise<void> {
    const state = this.state$.value;
    if (state === 'connected') return;
    if (state === 'closed') throw new BridgeDisconnectedError(`${pending.method}: the bridge client is closed`, this.endpoint, pending.method);
    // Before the first connection, and right after a reset, give the connection a moment; afterwards fail fast.
    const waitMs = this.everConnected && state === 'disconnected' ? 0 : (this.options.connectWaitMs ?? pending.timeoutMs);
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && this.state$.value !== 'connected' && this.state$.value !== 'closed') {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (this.state$.value !== 'connected') {
      throw new BridgeDisconnectedError(
        `${pending.method}: Micro-Manager at ${this.endpoint} is not reachable (${this.state$.value}); retrying in the background`,
        this.endpoint,
        pending.method,
      );
    }
  }

  private async exchange(pending: Pending): Promise<DecodedReply> {
    await this.waitUntilUsable(pending);
    const socket = this.socket;
    let timer: NodeJS.Timeout | undefined;
    const aborted = new Promise<never>((_, reject) => {
      this.inFlightAbort = reject;
      timer = setTimeout(() => reject(new BridgeTimeoutError(pending.method, this.endpoint, pending.timeoutMs)), pending.timeoutMs);
    });
    try {
      const io = socket.send(pending.parts).then(() => socket.receive());
      io.catch(() => undefined); // a reset socket rejects its pending receive; the race has already settled
      const parts = (await Promise.race([io, aborted])) as Buffer[];
      try {
        return decodeReply(parts);
      } catch (err) {
        if (err instanceof WireFormatError) {
          this.resetSocket();
          throw new BridgeProtocolError(`${pending.method} on ${this.endpoint}: ${err.message}; socket reset`, this.endpoint, pending.method);
        }
        throw err;
      }
    } catch (err) {
      if (err instanceof BridgeTimeoutError || err instanceof BridgeDisconnectedError) {
        if (this.state$.value !== 'closed') this.resetSocket();
        if (err instanceof BridgeDisconnectedError && !err.method) {
          throw new BridgeDisconnectedError(`${pending.method}: ${err.message}`, this.endpoint, pending.method);
        }
      }
      throw err;
    } finally {
      clearTimeout(timer);
      this.inFlightAbort = undefined;
    }
  }
}
