/**
 * Extracts the Java API listings that Micro-Manager's real bridge server sends for each class it hands out,
 * from a recorded session, into java-api/<class>.json (or another folder).
 * Usage: node -r ts-node/register/transpile-only simulators/micro-manager/scripts/extract-java-api.ts \
 *          ../shared/data/micro-manager/bridge-transcript-real.jsonl [out-dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { javaApiFromTranscript, listingFileName, listingFileText } from '../java-api/from-transcript';

const [transcript, outDir = resolve(__dirname, '../java-api')] = process.argv.slice(2);
if (!transcript) {
  process.stderr.write('usage: extract-java-api.ts <bridge-transcript.jsonl> [out-dir]\n');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
for (const listing of javaApiFromTranscript(readFileSync(transcript, 'utf8'))) {
  const file = join(outDir, listingFileName(listing.class));
  writeFileSync(file, listingFileText(listing));
  process.stdout.write(
    `${file}: ${listing.api.length} methods, ${listing.interfaces.length} interfaces, ${listing.fields.length} fields\n`,
  );
}
