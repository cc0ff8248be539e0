/** One error class per failure a caller may handle differently. */

export class BridgeError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
    readonly method?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server ran the call and Java threw: Micro-Manager's own message (e.g. an unknown device label). */
export class BridgeRemoteError extends BridgeError {
  constructor(
    method: string,
    endpoint: string,
    readonly remoteMessage: string,
    readonly javaClass: string,
    readonly remoteStack: string,
  ) {
    super(`${method} on ${endpoint} failed: ${remoteMessage}`, endpoint, method);
  }
}

/** A reply that does not parse or breaks the protocol; the socket was reset to keep lock-step. */
export class BridgeProtocolError extends BridgeError {}

/** No reply in time; the socket was reset. */
export class BridgeTimeoutError extends BridgeError {
  constructor(
    method: string,
    endpoint: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} on ${endpoint} gave no reply in ${timeoutMs} ms`, endpoint, method);
  }
}

/** The server is not reachable now; calls fail fast while the client reconnects in the background. */
export class BridgeDisconnectedError extends BridgeError {}

/** A request we refuse to send because it would wedge the real server or cannot be encoded. */
export class BridgeRequestError extends BridgeError {}
