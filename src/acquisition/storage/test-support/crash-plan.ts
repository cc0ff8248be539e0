import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Frame } from '../../frame';
import type { DatasetLayoutInput } from '../dataset-layout';
import { syntheticFrame, tczPlanes, type SyntheticPlane } from './synthetic-frames';

/** The acquisition the crash tests' child writes: 20 time points × 3 slices, far more than it lives to write. */
export const CRASH_LAYOUT: DatasetLayoutInput = {
  sizes: { t: 20, c: 1, z: 3 },
  dtype: 'uint16',
  widthPx: 96,
  heightPx: 64,
  pixelSizeUm: 0.2,
  channelNames: ['BF'],
};
export const crashPlanes = (): SyntheticPlane[] => [...tczPlanes({ t: 20, c: 1, z: 3 })];
export const crashFrame = (plane: SyntheticPlane, sequence: number): Frame =>
  syntheticFrame(plane, sequence, { dtype: 'uint16', widthPx: 96, heightPx: 64 });

const projectRoot = resolve(__dirname, '..', '..', '..', '..');

/**
 * Starts the slow writer in a child process, waits until it reported `framesBeforeKill` frames written, kills it
 * with SIGKILL and resolves with how many frames it had reported (the kill may land mid-write of the next one).
 */
export function writeThenKill(format: 'tiff' | 'zarr' | 'zarr3', path: string, framesBeforeKill: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', resolve(__dirname, 'slow-writer.child.ts'), format, path, '15'],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolvePromise, reject) => {
    let reported = 0;
    let stderr = '';
    let buffered = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      reported += lines.filter((line) => line.startsWith('written ')).length;
      if (reported >= framesBeforeKill) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && reported >= framesBeforeKill) resolvePromise(reported);
      else reject(new Error(`slow writer ended with ${signal ?? `exit ${code}`} after ${reported} frames:\n${stderr}`));
    });
  });
}
