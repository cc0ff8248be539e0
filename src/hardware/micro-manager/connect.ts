import { MicroManagerCore } from './micro-manager-core';
import { BridgeTransport } from './transport';

export const DEFAULT_ENDPOINT = 'tcp://127.0.0.1:4827';

export interface MicroManagerConnectOptions {
  /** Micro-Manager's ZeroMQ server; default tcp://127.0.0.1:4827. */
  readonly endpoint?: string;
  /** Per-call limit before BridgeTimeoutError; default 5000 ms (snapImage adds the exposure). */
  readonly timeoutMs?: number;
  /** First reconnect delay after the server went away, doubled per failed attempt; default 100 ms. */
  readonly reconnectDelayMs?: number;
  /** Upper bound of the reconnect backoff; default 5000 ms. */
  readonly reconnectMaxDelayMs?: number;
  /** How long a call waits for a connection being set up (first connect, after a reset); default timeoutMs. */
  readonly connectWaitMs?: number;
}

/** A client for Micro-Manager's bridge; it connects in the background and reconnects by itself. */
export function connectMicroManager(options: MicroManagerConnectOptions = {}): MicroManagerCore {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  const transport = new BridgeTransport({
    endpoint: options.endpoint ?? DEFAULT_ENDPOINT,
    timeoutMs,
    reconnectDelayMs: options.reconnectDelayMs ?? 100,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 5000,
    connectWaitMs: options.connectWaitMs,
  });
  return new MicroManagerCore(transport);
}
