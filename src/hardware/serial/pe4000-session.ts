import { CommandChannel } from './command-channel';
import { SerialDeviceError, SerialDisconnectedError, UnexpectedSerialDeviceError } from './errors';
import type { LineCommand } from './line-command';
import { LinePort } from './line-port';
import { isStatusLine, parseStatusLine, pe4000, type Pe4000ChannelStatus } from './pe4000-protocol';
import { findPortByUsbId } from './port-discovery';
import { describeLocation, type SerialLightSourceConfig } from './serial-light-source.config';

export interface SessionEvents {
  /** A status line the device sent, in a reply or on its own (the control pod was used). */
  status(statuses: readonly Pe4000ChannelStatus[]): void;
  lost(reason: string): void;
}

/**
 * One open connection to a pE-4000: the port is opened, the line purged, the device identified and its loaded
 * wavelengths read. A session ends when the port goes away; the light source then opens a new one.
 */
export class Pe4000Session {
  private lost = false;

  private constructor(
    readonly path: string,
    private readonly port: LinePort,
    private readonly channel: CommandChannel,
    readonly model: string,
    readonly wavelengthsNm: number[],
  ) {}

  static async open(config: SerialLightSourceConfig, events: SessionEvents): Promise<Pe4000Session> {
    const path = 'path' in config.port ? config.port.path : await findPortByUsbId(config.port.usb);
    let channel: CommandChannel | undefined;
    let session: Pe4000Session | undefined;
    const port = await LinePort.open(
      { path, baudRate: config.baudRate, commandTerminator: config.commandTerminator },
      {
        line: (text) => channel?.receiveLine(text),
        lost: (reason) => {
          channel?.portLost(reason);
          if (session) session.lost = true;
          events.lost(reason);
        },
      },
    );
    channel = new CommandChannel(port, {
      replyTimeoutMs: config.replyTimeoutMs,
      resyncQuietMs: config.resyncQuietMs,
      resyncProbe: pe4000.status(),
      echoesCommands: config.echoesCommands,
      isUnsolicited: isStatusLine,
      onUnsolicited: (line) => {
        try {
          events.status(parseStatusLine(line));
        } catch {
          // A broadcast that does not parse carries nothing we could trust; the next reply will.
        }
      },
    });
    try {
      const model = await channel.execute(pe4000.model());
      if (!/pE-4000/i.test(model)) {
        throw new UnexpectedSerialDeviceError(`${path} answers as "${model}", not a CoolLED pE-4000`, path);
      }
      const wavelengthsNm = [...(await channel.execute(pe4000.wavelengths()))];
      if (config.lockPod) await channel.execute(pe4000.podEnabled(false));
      session = new Pe4000Session(path, port, channel, model, wavelengthsNm);
      return session;
    } catch (err) {
      await port.close();
      if (err instanceof SerialDeviceError && !(err instanceof SerialDisconnectedError) && !(err instanceof UnexpectedSerialDeviceError)) {
        throw new UnexpectedSerialDeviceError(
          `${path} (${describeLocation(config.port)}) did not answer like a CoolLED pE-4000: ${err.message}`,
          path,
        );
      }
      throw err;
    }
  }

  get isOpen(): boolean {
    return !this.lost && this.port.isOpen;
  }

  /** Runs one command, queued behind those already called. */
  execute<T>(command: LineCommand<T>): Promise<T> {
    return this.channel.execute(command);
  }

  close(): Promise<void> {
    return this.port.close();
  }
}
