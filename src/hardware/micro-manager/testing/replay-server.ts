import * as zmq from 'zeromq';
import { partsOf, type TranscriptMessage } from './transcript';

/** Key order does not matter to the server; number spelling (25 vs 25.0) does not survive JSON.parse either. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ReplayServer {
  readonly endpoint: string;
  /** Every request received, parsed. */
  readonly received: Array<Record<string, unknown>>;
  /** Requests that were not the recorded one (ordered mode) or not recorded at all (lookup mode). */
  readonly mismatches: string[];
  close(): void;
}

const exceptionReply = (text: string) => [
  Buffer.from(JSON.stringify({ type: 'exception', value: `java.lang.Exception: ${text}` }), 'latin1'),
];

/**
 * A REP server that answers with the real server's recorded replies. 'ordered': the i-th request must equal the
 * i-th recorded request. 'lookup': each request gets the next recorded reply to an equal recorded request.
 */
export async function startReplayServer(
  exchanges: ReadonlyArray<{ request: TranscriptMessage; reply: TranscriptMessage }>,
  mode: 'ordered' | 'lookup',
): Promise<ReplayServer> {
  const socket = new zmq.Reply({ linger: 0 });
  await socket.bind('tcp://127.0.0.1:*');
  const received: Array<Record<string, unknown>> = [];
  const mismatches: string[] = [];
  const byRequest = new Map<string, { replies: TranscriptMessage[]; next: number }>();
  for (const { request, reply } of exchanges) {
    const key = canonicalJson(request.json);
    const entry = byRequest.get(key) ?? { replies: [], next: 0 };
    entry.replies.push(reply);
    byRequest.set(key, entry);
  }
  let position = 0;
  const answer = (request: Record<string, unknown>): Buffer[] => {
    const key = canonicalJson(request);
    if (mode === 'ordered') {
      const expected = exchanges[position++];
      if (!expected || canonicalJson(expected.request.json) !== key) {
        mismatches.push(`#${position - 1}: expected ${expected ? canonicalJson(expected.request.json) : 'nothing'}, got ${key}`);
        return exceptionReply(`replay mismatch at request ${position - 1}`);
      }
      return partsOf(expected.reply);
    }
    const entry = byRequest.get(key);
    if (!entry) {
      mismatches.push(`not recorded: ${key}`);
      return exceptionReply('request not in the recording');
    }
    const reply = entry.replies[Math.min(entry.next, entry.replies.length - 1)];
    entry.next++;
    return partsOf(reply);
  };
  void (async () => {
    try {
      for await (const [part0] of socket) {
        const request = JSON.parse(part0.toString('latin1')) as Record<string, unknown>;
        received.push(request);
        await socket.send(answer(request));
      }
    } catch {
      // closed by the test
    }
  })();
  return { endpoint: socket.lastEndpoint!, received, mismatches, close: () => socket.close() };
}
