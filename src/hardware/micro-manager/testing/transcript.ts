import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The recorded session of pycro-manager's client with Micro-Manager's real server (../shared/data), read for
 * tests. Binary payloads are summarised there (identifier, length, first 16 bytes); `partsOf` rebuilds them with
 * the recorded head and zeros after it.
 */

const PROJECT_ROOT = resolve(__dirname, '../../../..');
export const TRANSCRIPT_FILE = resolve(PROJECT_ROOT, '../shared/data/micro-manager/bridge-transcript-real.jsonl');

const lineSchema = z.object({
  dir: z.enum(['request', 'reply']),
  json: z.record(z.string(), z.unknown()),
  binary: z.array(z.object({ id_le_int32: z.number().int(), id_hex: z.string(), nbytes: z.number().int(), head_hex: z.string() })),
});

export type TranscriptMessage = z.infer<typeof lineSchema>;

export function readTranscript(): TranscriptMessage[] {
  return readFileSync(TRANSCRIPT_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => lineSchema.parse(JSON.parse(line)));
}

/** The message as the server framed it: latin1 JSON, then (int32 LE id, bytes) per array. */
export function partsOf(message: TranscriptMessage): Buffer[] {
  const parts = [Buffer.from(JSON.stringify(message.json), 'latin1')];
  for (const array of message.binary) {
    const id = Buffer.alloc(4);
    id.writeInt32LE(array.id_le_int32, 0);
    const bytes = Buffer.alloc(array.nbytes);
    Buffer.from(array.head_hex, 'hex').copy(bytes);
    parts.push(id, bytes);
  }
  return parts;
}

/** Request/reply pairs in recorded order. */
export function exchanges(): Array<{ request: TranscriptMessage; reply: TranscriptMessage }> {
  const messages = readTranscript();
  const pairs: Array<{ request: TranscriptMessage; reply: TranscriptMessage }> = [];
  for (let i = 0; i < messages.length; i += 2) {
    if (messages[i].dir !== 'request' || messages[i + 1]?.dir !== 'reply')
      throw new Error(`transcript line ${i} breaks request/reply order`);
    pairs.push({ request: messages[i], reply: messages[i + 1] });
  }
  return pairs;
}
