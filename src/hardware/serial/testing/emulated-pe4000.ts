import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialLightSourceEmulator, type EmulatorOptions } from '../../../../simulators/serial-light-source';
import type { SerialLightSourceConfigInput } from '../serial-light-source.config';

/** Collects log calls instead of printing them. */
export const quietLogger = () => {
  const lines: unknown[] = [];
  return { lines, log: (m: unknown) => void lines.push(m), warn: (m: unknown) => void lines.push(m) };
};

export interface EmulatedPe4000 {
  readonly emulator: SerialLightSourceEmulator;
  readonly linkPath: string;
  readonly dir: string;
  /** A driver config for this emulator, with short timeouts for tests. */
  config(extra?: Partial<SerialLightSourceConfigInput>): SerialLightSourceConfigInput;
  cleanup(): Promise<void>;
}

/** An emulated pE-4000 on a fresh pseudo-terminal in its own temporary folder. */
export async function startEmulatedPe4000(options: Partial<Omit<EmulatorOptions, 'linkPath'>> = {}): Promise<EmulatedPe4000> {
  const dir = mkdtempSync(join(tmpdir(), 'pe4000-'));
  const linkPath = join(dir, 'ttyLED');
  const emulator = await SerialLightSourceEmulator.start({ linkPath, ...options });
  return {
    emulator,
    linkPath,
    dir,
    config: (extra = {}) => ({ port: { path: linkPath }, replyTimeoutMs: 300, reconnectIntervalMs: 50, ...extra }),
    cleanup: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `predicate` holds, polling; rejects after timeoutMs with `what` in the message. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
