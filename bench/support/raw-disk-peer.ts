/**
 * The storage benches' honest raw peer: the same number of bytes written to the same disk by `dd`, with O_DIRECT
 * (`oflag=direct`, the page cache bypassed: the device's own speed) and buffered with one flush at the end
 * (`conv=fsync`), in 8 MiB blocks. Node cannot align its buffers for O_DIRECT, so dd is the direct peer.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const BLOCK_BYTES = 8 * 2 ** 20;

export type DdMode = 'direct' | 'buffered';

export interface DdRun {
  readonly mode: DdMode;
  readonly command: string;
  readonly seconds: number;
  readonly bytes: number;
}

/** Writes at least `bytes` (whole 8 MiB blocks of zeros) to `path` with dd, removes the file, and times it. */
export async function ddWrite(path: string, bytes: number, mode: DdMode): Promise<DdRun> {
  const count = Math.max(1, Math.ceil(bytes / BLOCK_BYTES));
  const flag = mode === 'direct' ? 'oflag=direct' : 'conv=fsync';
  const args = ['if=/dev/zero', `of=${path}`, 'bs=8M', `count=${count}`, flag];
  const started = performance.now();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn('dd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`dd ${args.join(' ')} exited ${code}: ${text.trim()}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  rmSync(path, { force: true });
  if (!/copied/.test(stderr)) throw new Error(`dd ${args.join(' ')} did not report a copy: ${stderr.trim()}`);
  return { mode, command: `dd ${args.join(' ')}`, seconds, bytes: count * BLOCK_BYTES };
}
