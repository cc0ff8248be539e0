import * as zmq from 'zeromq';

export type ServerAction =
  | { readonly reply: ReadonlyArray<Buffer | string> }
  | { readonly replyAfterMs: number; readonly reply: ReadonlyArray<Buffer | string> }
  | 'silent'
  | 'close';

export interface ScriptedServer {
  readonly endpoint: string;
  readonly port: number;
  /** `name` (run-method) or `command` of every request received. */
  readonly received: string[];
  close(): void;
}

export const jsonPart = (value: unknown) => Buffer.from(JSON.stringify(value), 'latin1');

/**
 * A bridge server that misbehaves on cue. It is a ROUTER, so it can leave a request unanswered (or answer late)
 * and still serve the client's next, reopened socket, as a REP server that lost a client would.
 */
export async function startScriptedServer(
  script: (request: Record<string, unknown>) => ServerAction,
  endpoint = 'tcp://127.0.0.1:*',
): Promise<ScriptedServer> {
  const socket = new zmq.Router({ linger: 0 });
  await socket.bind(endpoint);
  const bound = socket.lastEndpoint!;
  const received: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  void (async () => {
    try {
      for await (const [identity, delimiter, body] of socket) {
        const request = JSON.parse(body.toString('latin1')) as Record<string, unknown>;
        received.push(String(request.name ?? request.command));
        const action = script(request);
        if (action === 'silent') continue;
        if (action === 'close') {
          socket.close();
          return;
        }
        const send = () => socket.send([identity, delimiter, ...action.reply]).catch(() => undefined);
        if ('replyAfterMs' in action) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            void send();
          }, action.replyAfterMs);
          timers.add(timer);
        } else await send();
      }
    } catch {
      // closed
    }
  })();
  return {
    endpoint: bound,
    port: Number(bound.slice(bound.lastIndexOf(':') + 1)),
    received,
    close: () => {
      timers.forEach(clearTimeout);
      socket.close();
    },
  };
}
