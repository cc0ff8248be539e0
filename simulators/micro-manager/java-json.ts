/**
 * JSON text exactly as the real server's `mmcorej.org.json.JSONObject.toString()` writes it: keys in
 * java.util.HashMap iteration order, org.json's string escaping, Java's number formatting.
 */

/** A number the Java side holds as a double (formatted like `Double.toString`, whole numbers without ".0"). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

/** JSON text inserted verbatim (pre-serialized listings). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JavaJson = null | boolean | number | string | JavaDouble | RawJson | readonly JavaJson[] | JavaJsonObject;

/** A JSONObject: remembers insertion order, which decides the order of keys that share a hash bucket. */
export class JavaJsonObject {
  private readonly entries = new Map<string, JavaJson>();

  constructor(entries: Iterable<readonly [string, JavaJson]> = []) {
    for (const [key, value] of entries) this.put(key, value);
  }

  /** Like HashMap.put: a new key goes last, an existing key keeps its place. */
  put(key: string, value: JavaJson): this {
    this.entries.set(key, value);
    return this;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): JavaJson | undefined {
    return this.entries.get(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Plain values (for tests and in-process users). */
  toPlain(): Record<string, unknown> {
    return JSON.parse(javaJsonText(this)) as Record<string, unknown>;
  }
}

function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The order in which a java.util.HashMap (default capacity 16, load factor 0.75) iterates these keys. */
export function javaHashMapOrder(insertionOrder: readonly string[]): string[] {
  let capacity = 16;
  while (insertionOrder.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: string) => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return insertionOrder
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** org.json's JSONObject.quote. */
export function javaQuote(text: string): string {
  let out = '"';
  let previous = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === '\\' || c === '"') out += '\\' + c;
    else if (c === '/') out += previous === '<' ? '\\/' : '/';
    else if (c === '\b') out += '\\b';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\f') out += '\\f';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x80 && code < 0xa0) || (code >= 0x2000 && code < 0x2100)) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += c;
    previous = c;
  }
  return out + '"';
}

/** Java's Double.toString: "25.0", "100.005", "1.0E-4", "1.2345E7". */
export function javaDoubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const magnitude = Math.abs(value);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = Object.is(value, -0) ? '-0' : String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${Number(exponent)}`;
}

/** org.json's numberToString for a Double: Double.toString without trailing zeros (25.0 → "25"). */
export function javaDoubleText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`JSON does not allow non-finite numbers (${value})`);
  const text = javaDoubleToString(value);
  return text.includes('E') ? text : text.replace(/0+$/, '').replace(/\.$/, '');
}

function integerText(value: number): string {
  return Number.isInteger(value) ? String(value) : javaDoubleText(value);
}

export function javaJsonText(value: JavaJson): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return integerText(value);
  if (typeof value === 'string') return javaQuote(value);
  if (value instanceof JavaDouble) return javaDoubleText(value.value);
  if (value instanceof RawJson) return value.text;
  if (value instanceof JavaJsonObject) {
    const parts = javaHashMapOrder(value.keys()).map((key) => `${javaQuote(key)}:${javaJsonText(value.get(key) ?? null)}`);
    return `{${parts.join(',')}}`;
  }
  return `[${value.map(javaJsonText).join(',')}]`;
}
