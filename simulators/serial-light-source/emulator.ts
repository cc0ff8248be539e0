import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { NO_FAULTS, garble, seededRandom, type FaultSettings, type GarbleMode } from './faults';
import { writeLightSourceState, type LightSourceState } from './light-state';
import { GREETING_LINES, Pe4000Model } from './pe4000-model';
import { SocatPty } from './socat-pty';

export interface EmulatorOptions {
  /** Where the device appears, e.g. /tmp/ttyLED; the service opens this path with serialport. */
  readonly linkPath: string;
  /** Also publish the state as a JSON file here (see light-state.ts). */
  readonly stateFile?: string;
  /** Output of each channel at 100 %, mW at the sample. */
  readonly maxPowerMw?: readonly number[];
  readonly faults?: Partial<FaultSettings>;
  readonly seed?: number;
  /** Bench peer: send every byte straight back, no protocol. */
  readonly rawEcho?: boolean;
  /** Answer C<x>S / C<x>X with the status line, which the real device does not (tests only). */
  readonly chattySelect?: boolean;
}

/**
 * An emulated CoolLED pE-4000 on a pseudo-terminal. Emits 'state' (LightSourceState) on every change of what it
 * emits or of its plug, and 'command' (the line) for every command it read.
 */
export class SerialLightSourceEmulator extends EventEmitter {
  private readonly model: Pe4000Model;
  private pty?: SocatPty;
  private faults: FaultSettings;
  private garbleNextCount = 0;
  private garbleNextMode: GarbleMode = 'corrupt';
  private inbox = '';
  private sequence = 0;
  private readonly random: () => number;
  private answering: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: EmulatorOptions) {
    super();
    this.model = new Pe4000Model(() => this.publish(), { chattySelect: options.chattySelect });
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.random = seededRandom(options.seed ?? 1);
  }

  static async start(options: EmulatorOptions): Promise<SerialLightSourceEmulator> {
    const emulator = new SerialLightSourceEmulator(options);
    await emulator.plugIn();
    return emulator;
  }

  get linkPath(): string {
    return this.options.linkPath;
  }

  get pluggedIn(): boolean {
    return this.pty?.alive ?? false;
  }

  get state(): LightSourceState {
    const maxPowerMw = this.options.maxPowerMw ?? [100, 100, 100, 100];
    const { channels, podEnabled } = this.model.state;
    return {
      model: 'pE-4000',
      linkPath: this.options.linkPath,
      pluggedIn: this.pluggedIn,
      podEnabled,
      sequence: this.sequence,
      updatedAt: new Date().toISOString(),
      channels: channels.map((c) => {
        const emitting = c.on && c.selected && c.intensityPercent > 0;
        const max = maxPowerMw[c.index] ?? 100;
        return { ...c, emitting, maxPowerMw: max, outputMw: emitting ? (c.intensityPercent / 100) * max : 0 };
      }),
    };
  }

  setFaults(faults: Partial<FaultSettings>): void {
    this.faults = { ...this.faults, ...faults };
  }

  /** Garble exactly the next `count` replies (deterministic, for tests). */
  garbleNext(count: number, mode: GarbleMode): void {
    this.garbleNextCount = count;
    this.garbleNextMode = mode;
  }

  /** Pulls the USB cable: the device path vanishes; the LEDs keep what they were doing. */
  async unplug(): Promise<void> {
    const pty = this.pty;
    this.pty = undefined;
    await pty?.stop();
    this.publish();
  }

  /** Plugs the cable back in at the same path. */
  async plugIn(): Promise<void> {
    if (this.pluggedIn || this.closed) return;
    this.inbox = '';
    this.pty = await SocatPty.start(
      this.options.linkPath,
      (chunk) => this.receive(chunk),
      () => this.publish(),
    );
    // The controller greets whoever listens; a driver that opens later may or may not see it.
    if (!this.options.rawEcho) this.pty.write(GREETING_LINES.map((l) => `${l}\r\n`).join(''));
    this.publish();
  }

  /** Mains off and on again: unplugged, back to the power-up state, plugged in. */
  async powerCycle(): Promise<void> {
    await this.unplug();
    this.model.reset();
    await this.plugIn();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.unplug();
    if (this.options.stateFile) rmSync(this.options.stateFile, { force: true });
    this.removeAllListeners();
  }

  private receive(chunk: Buffer): void {
    if (this.options.rawEcho) {
      this.pty?.write(chunk);
      return;
    }
    this.inbox += chunk.toString('latin1');
    for (;;) {
      const end = this.inbox.search(/[\r\n]/);
      if (end < 0) return;
      const line = this.inbox.slice(0, end);
      this.inbox = this.inbox.slice(end + 1);
      if (line.trim().length > 0) this.accept(line);
    }
  }

  private accept(line: string): void {
    this.emit('command', line);
    if (this.faults.silent) return;
    // Replies leave in command order even when a delay is injected.
    this.answering = this.answering.then(async () => {
      const reply = this.model.handle(line);
      if (this.faults.replyDelayMs > 0) await new Promise((r) => setTimeout(r, this.faults.replyDelayMs));
      const echo = this.faults.echo ? `${line}\r\n` : '';
      // A command the device does not answer gets no bytes, not even garbled ones.
      this.pty?.write(echo + (reply.length > 0 ? this.encode(reply) : ''));
    });
  }

  private encode(lines: readonly string[]): string {
    if (this.garbleNextCount > 0) {
      this.garbleNextCount--;
      return garble(lines, this.garbleNextMode, this.random);
    }
    if (this.faults.garbleRate > 0 && this.random() < this.faults.garbleRate) return garble(lines, this.faults.garbleMode, this.random);
    return lines.map((l) => `${l}\r\n`).join('');
  }

  private publish(): void {
    this.sequence++;
    const state = this.state;
    if (this.options.stateFile && !this.closed) writeLightSourceState(this.options.stateFile, state);
    this.emit('state', state);
  }
}
