/**
 * The Java API listings (class, interfaces, public fields, methods) that Micro-Manager's bridge server sends
 * with each `unserialized-object`, read from a recorded session (one JSON object a line: dir, json, binary).
 */
export interface JavaMethod {
  readonly name: string;
  readonly arguments: readonly string[];
  readonly 'return-type': string;
}

export interface JavaClassListing {
  readonly class: string;
  readonly interfaces: readonly string[];
  readonly fields: readonly string[];
  readonly api: readonly JavaMethod[];
}

/** The listing of every class handed out as `unserialized-object` in a recorded bridge session (first hand-out wins). */
export function javaApiFromTranscript(jsonl: string): JavaClassListing[] {
  const byClass = new Map<string, JavaClassListing>();
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { dir: string; json: Record<string, unknown> };
    const reply = entry.json;
    if (entry.dir !== 'reply' || reply.type !== 'unserialized-object') continue;
    const name = String(reply.class);
    if (byClass.has(name)) continue;
    byClass.set(name, {
      class: name,
      interfaces: reply.interfaces as string[],
      fields: reply.fields as string[],
      api: reply.api as JavaMethod[],
    });
  }
  return [...byClass.values()];
}

/** java-api/<class>.json, with '$' (inner classes) written as '_'. */
export function listingFileName(className: string): string {
  return `${className.replace(/\$/g, '_')}.json`;
}

export function listingFileText(listing: JavaClassListing): string {
  return JSON.stringify(listing, null, 1) + '\n';
}
