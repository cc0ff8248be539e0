import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialLightSourceEmulator, type EmulatorOptions } from '../../../../simulators/serial-light-source';
import { CoolLedPe4000 } from '../pe4000-light-source';
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

export interface EmulatedLed {
  readonly device: EmulatedPe4000;
  readonly led: CoolLedPe4000;
  /** The command lines the device received in this test. */
  readonly commands: string[];
}

/** For a describe block: a fresh emulated pE-4000 and an open driver before each test, both closed after it. */
export function emulatedLedPerTest(options: Partial<Omit<EmulatorOptions, 'linkPath'>> = {}): EmulatedLed {
  let device: EmulatedPe4000 | undefined;
  let led: CoolLedPe4000 | undefined;
  const commands: string[] = [];
  beforeEach(async () => {
    device = await startEmulatedPe4000(options);
    commands.length = 0;
    device.emulator.on('command', (line: string) => commands.push(line));
    led = await CoolLedPe4000.open(device.config(), quietLogger());
  });
  afterEach(async () => {
    await led?.close();
    await device?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('emulatedLedPerTest: used outside a test');
    return value;
  };
  return {
    get device() {
      return started(device);
    },
    get led() {
      return started(led);
    },
    commands,
  };
}
