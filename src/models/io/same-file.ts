import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** Whether two paths name the same file (through links and relative parts), so raw data is never written over. */
export function isSameFile(a: string, b: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  return real(a) === real(b);
}
