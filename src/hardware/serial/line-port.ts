import { statSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { SerialPortOpenError } from './errors';

export interface LinePortOptions {
  readonly path: string;
  readonly baudRate: number;
  /** Written after every command, e.g. "\r". */
  readonly commandTerminator: string;
  /** How often to check that the device node is still the one we opened, ms. */
  readonly presenceCheckMs?: number;
}

export interface LinePortListener {
  /** A complete line, without its CR/LF. */
  line(text: string): void;
  /** The port went away (device unplugged, PTY closed) without us closing it. */
  lost(reason: string): void;
}

/**
 * A serial port as a stream of text lines. Keeps its own partial-line buffer (rather than a readline parser) so
 * that resynchronisation can throw away half a reply, and remembers when bytes last arrived so the caller can wait
 * for the line to go quiet.
 */
export class LinePort {
  private partial = '';
  private lastByteAtMs = 0;
  private closedByUs = false;
  private lostReported = false;
  private presenceTimer?: NodeJS.Timeout;

  private constructor(
    private readonly port: SerialPort,
    private readonly options: LinePortOptions,
    private readonly listener: LinePortListener,
  ) {
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.on('close', (err?: Error | null) => this.reportLost(err?.message ?? 'port closed'));
    this.watchPresence();
    // serialport emits 'error' for failed writes; the failure reaches the caller through the write callback.
    port.on('error', () => undefined);
  }

  static open(options: LinePortOptions, listener: LinePortListener): Promise<LinePort> {
    const port = new SerialPort({
      path: options.path,
      baudRate: options.baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      xon: false,
      xoff: false,
      autoOpen: false,
    });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) reject(new SerialPortOpenError(`cannot open serial port ${options.path}: ${err.message}`, options.path));
        else resolve(new LinePort(port, options, listener));
      });
    });
  }

  get path(): string {
    return this.options.path;
  }

  get isOpen(): boolean {
    return this.port.isOpen && !this.closedByUs && !this.lostReported;
  }

  /** Bytes received after the last complete line (a reply cut short). */
  get pendingText(): string {
    return this.partial;
  }

  writeCommand(command: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(command + this.options.commandTerminator, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Raw bytes, no terminator: for benchmarks that measure the bare line. */
  writeRaw(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  discardPartialLine(): void {
    this.partial = '';
  }

  /** Resolves once no byte has arrived for quietMs, counted from sinceMs at the earliest (or after maxWaitMs at most). */
  async waitForQuiet(quietMs: number, maxWaitMs: number, sinceMs = 0): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const quietFor = Date.now() - Math.max(this.lastByteAtMs, sinceMs);
      if (quietFor >= quietMs || Date.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, Math.min(quietMs - quietFor, Math.max(1, deadline - Date.now()))));
    }
  }

  close(): Promise<void> {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    if (this.closedByUs) return Promise.resolve();
    this.closedByUs = true;
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }

  /**
   * serialport notices a USB device going away by a read error, but a pseudo-terminal whose other side closed reads
   * as endless end-of-file, which it retries silently. Watching the device node catches both: gone, or replaced by
   * another device at the same path, means unplugged.
   */
  private watchPresence(): void {
    const deviceId = (): number | undefined => {
      try {
        return statSync(this.options.path).rdev;
      } catch {
        return undefined;
      }
    };
    const opened = deviceId();
    if (opened === undefined) return; // not a filesystem path (e.g. COM3): rely on serialport alone
    this.presenceTimer = setInterval(() => {
      if (deviceId() === opened) return;
      this.reportLost(`${this.options.path} vanished (device unplugged)`);
      void this.port.close(() => undefined);
    }, this.options.presenceCheckMs ?? 100);
    this.presenceTimer.unref();
  }

  private reportLost(reason: string): void {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    if (this.closedByUs || this.lostReported) return;
    this.lostReported = true;
    this.listener.lost(reason);
  }

  private receive(chunk: Buffer): void {
    this.lastByteAtMs = Date.now();
    this.partial += chunk.toString('latin1');
    for (;;) {
      const end = this.partial.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.partial.slice(0, end);
      this.partial = this.partial.slice(end + 1);
      // CR LF ends one line; the empty string between the two is not a line.
      if (line.length > 0) this.listener.line(line);
    }
  }
}
