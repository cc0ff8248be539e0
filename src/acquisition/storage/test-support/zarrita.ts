import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** What zarrita (test-support/zarrita-report.mjs) read from a zarr v3 OME-Zarr image. */
export interface ZarritaReport {
  readonly version: string;
  readonly shape: number[];
  readonly dtype: string;
  /** zarrita's chunk shape of the array: for a sharded array, its inner chunks. */
  readonly chunks: number[];
  readonly axes: string[];
  readonly scale: number[];
  readonly channels: string[];
  readonly scope: Record<string, unknown>;
  /** md5 of each plane's bytes, keyed "t/c/z". */
  readonly planeMd5: Record<string, string>;
}

/** Reads an image of a v3 store with zarrita in a child Node process (zarrita is ESM-only; jest runs CommonJS). */
export function readWithZarrita(path: string, group = ''): ZarritaReport {
  const script = resolve(__dirname, 'zarrita-report.mjs');
  return JSON.parse(execFileSync(process.execPath, [script, path, group], { encoding: 'utf8', timeout: 30_000 })) as ZarritaReport;
}
