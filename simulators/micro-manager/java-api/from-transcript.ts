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

/** The listing of every class handed out as `unserialized-object` in a recorded bridge session. */
export function javaApiFromTranscript(jsonl: string): JavaClassListing[] {
  const byClass = new Map<string, JavaClassListing>();
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { dir: string; json: Record<string, unknown> };
    const reply = entry.json;
    if (entry.dir !== 'reply' || reply.type !== 'unserialized-object') continue;
    const name = reply.class as string;
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
