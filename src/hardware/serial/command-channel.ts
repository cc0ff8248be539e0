import { SerialCommandRejectedError, SerialDisconnectedError, SerialGarbledReplyError, SerialReplyTimeoutError } from './errors';
import { ReplyFormatError, type LineCommand } from './line-command';
import type { LinePort } from './line-port';

export interface CommandChannelOptions {
  readonly replyTimeoutMs: number;
  /** How long the line must stay silent before a resynchronisation discards what is buffered. */
  readonly resyncQuietMs: number;
  /** Sent after the line was resynchronised; its valid reply proves the device and we agree on line boundaries. */
  readonly resyncProbe: LineCommand<unknown>;
  /** The device repeats each command line before answering (a terminal-style echo). */
  readonly echoesCommands: boolean;
  /** Lines the device may send on its own (status broadcasts); handled and never taken as garbage. */
  isUnsolicited(line: string): boolean;
  onUnsolicited(line: string): void;
}

interface InFlight {
  readonly command: LineCommand<unknown>;
  readonly lines: string[];
  echoSeen: boolean;
  /** The resync probe skips whatever precedes its reply (a greeting, the tail of a late reply). */
  readonly skipsStrayLines: boolean;
  settle(error: Error | undefined, value?: unknown): void;
}

/**
 * One command in flight at a time on a LinePort; callers are served strictly in the order they called. Every reply
 * line is checked against the command that is waiting; a timeout or a line that fits nothing fails that command and
 * marks the line dirty, and the next command first waits for silence, drops what is buffered and proves the line is
 * back in step with a probe.
 */
export class CommandChannel {
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight?: InFlight;
  // A freshly opened port may hold a greeting or stale bytes: the first command starts with a resync.
  private needsResync = true;
  private lostReason?: string;
  /** When the last command that has no reply was written; the next command first lets a stray answer to it drain. */
  private unansweredSentAtMs?: number;

  constructor(
    private readonly port: LinePort,
    private readonly options: CommandChannelOptions,
  ) {}

  /** Fed by the LinePort listener. */
  receiveLine(line: string): void {
    const waiting = this.inFlight;
    if (!waiting) {
      if (this.options.isUnsolicited(line)) this.options.onUnsolicited(line);
      // Anything else outside a command is stale (a late reply after a timeout): the next command resyncs.
      else this.needsResync = true;
      return;
    }
    const { command, lines } = waiting;
    if (this.options.echoesCommands && !waiting.echoSeen) {
      if (line === command.text) {
        waiting.echoSeen = true;
        if (command.replyLineCount === 0) waiting.settle(undefined, command.parse([]));
      } else if (!waiting.skipsStrayLines) {
        this.needsResync = true;
        waiting.settle(new SerialGarbledReplyError(command.text, this.port.path, line, 'expected the echo of the command'));
      }
      return;
    }
    if (lines.length === 0 && command.isRefusal(line) && !waiting.skipsStrayLines) {
      waiting.settle(new SerialCommandRejectedError(command.text, this.port.path, line));
      return;
    }
    if (command.accepts(line, lines.length)) {
      lines.push(line);
      if (lines.length < command.replyLineCount) return;
      try {
        waiting.settle(undefined, command.parse(lines));
      } catch (err) {
        const reason = err instanceof ReplyFormatError ? err.message : String(err);
        this.needsResync = true;
        waiting.settle(new SerialGarbledReplyError(command.text, this.port.path, lines.join(' | '), reason));
      }
      return;
    }
    if (this.options.isUnsolicited(line)) {
      this.options.onUnsolicited(line);
      return;
    }
    if (waiting.skipsStrayLines && lines.length === 0) return;
    this.needsResync = true;
    waiting.settle(new SerialGarbledReplyError(command.text, this.port.path, line, `not a reply to ${command.text}`));
  }

  /** Fed by the LinePort listener: fails what is waiting and everything queued behind it. */
  portLost(reason: string): void {
    this.lostReason = reason;
    this.inFlight?.settle(new SerialDisconnectedError(`${this.port.path} went away: ${reason}`, this.port.path));
  }

  execute<T>(command: LineCommand<T>): Promise<T> {
    const run = this.tail.then(() => this.runWithResync(command));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runWithResync<T>(command: LineCommand<T>): Promise<T> {
    if (this.unansweredSentAtMs !== undefined) await this.drainStrayReply(this.unansweredSentAtMs);
    if (this.needsResync) await this.resync(command.text);
    const result = await this.send(command);
    if (command.replyLineCount === 0) this.unansweredSentAtMs = Date.now();
    return result;
  }

  /**
   * A device may answer a command that is documented as silent. Waiting for the line to go quiet lets such a line
   * arrive between commands, where it is handled as a broadcast or marks the line for resync, instead of being taken
   * for the next command's answer.
   */
  private async drainStrayReply(sentAtMs: number): Promise<void> {
    this.unansweredSentAtMs = undefined;
    await this.port.waitForQuiet(this.options.resyncQuietMs, this.options.replyTimeoutMs, sentAtMs);
    if (this.port.pendingText.length > 0) this.needsResync = true;
  }

  private async resync(forCommand: string): Promise<void> {
    await this.port.waitForQuiet(this.options.resyncQuietMs, this.options.replyTimeoutMs * 4);
    this.port.discardPartialLine();
    this.needsResync = false;
    try {
      await this.send(this.options.resyncProbe, true);
    } catch (err) {
      this.needsResync = true;
      if (err instanceof SerialDisconnectedError) throw err;
      throw new SerialGarbledReplyError(
        forCommand,
        this.port.path,
        (err as Error).message,
        'the line could not be resynchronised before this command',
      );
    }
  }

  private send<T>(command: LineCommand<T>, skipsStrayLines = false): Promise<T> {
    if (this.lostReason !== undefined || !this.port.isOpen) {
      return Promise.reject(
        new SerialDisconnectedError(`${this.port.path} is not connected (${this.lostReason ?? 'closed'})`, this.port.path),
      );
    }
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const flight: InFlight = {
        command,
        lines: [],
        echoSeen: false,
        skipsStrayLines,
        settle: (error, value) => {
          if (this.inFlight !== flight) return;
          this.inFlight = undefined;
          if (timer) clearTimeout(timer);
          if (error) reject(error);
          else resolve(value as T);
        },
      };
      this.inFlight = flight;
      const awaitsLines = command.replyLineCount > 0 || this.options.echoesCommands;
      if (awaitsLines) {
        timer = setTimeout(() => {
          this.needsResync = true;
          const partial = [...flight.lines, this.port.pendingText].filter(Boolean).join(' | ');
          flight.settle(new SerialReplyTimeoutError(command.text, this.port.path, this.options.replyTimeoutMs, partial));
        }, this.options.replyTimeoutMs);
      }
      this.port.writeCommand(command.text).then(
        () => {
          if (!awaitsLines) flight.settle(undefined, command.parse([]));
        },
        (err: Error) =>
          flight.settle(new SerialDisconnectedError(`writing ${command.text} to ${this.port.path} failed: ${err.message}`, this.port.path)),
      );
    });
  }
}
