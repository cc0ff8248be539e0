/**
 * Extracts the Java API listings (class, interfaces, fields, methods) that Micro-Manager's real bridge server
 * sends for each class, from a recorded session, into java-api/<class>.json.
 * Usage: node -r ts-node/register/transpile-only simulators/micro-manager/scripts/extract-java-api.ts <transcript.jsonl>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { javaApiFromTranscript } from '../java-api/from-transcript';

const transcript = process.argv[2];
if (!transcript) {
  process.stderr.write('usage: extract-java-api.ts <bridge-transcript.jsonl>\n');
  process.exit(2);
}
const listings = javaApiFromTranscript(readFileSync(transcript, 'utf8'));
for (const listing of listings) {
  const file = join(__dirname, '..', 'java-api', `${listing.class.replace(/\$/g, '_')}.json`);
  writeFileSync(file, JSON.stringify(listing, null, 1) + '\n');
  process.stdout.write(`${file}: ${listing.api.length} methods\n`);
}
