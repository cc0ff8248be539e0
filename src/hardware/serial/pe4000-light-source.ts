import { Logger, type LoggerService } from '@nestjs/common';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { LightChannel, LightSource } from '../devices';
import { InvalidLightCommandError, SerialDeviceClosedError, SerialDisconnectedError } from './errors';
import type { LineCommand } from './line-command';
import { PE4000_WAVELENGTHS_NM, pe4000, type Pe4000ChannelStatus, type Pe4000Versions } from './pe4000-protocol';
import { Pe4000Session } from './pe4000-session';
import { neverBrighterThan, restorePlan, type Pe4000Snapshot } from './restore-plan';
import {
  describeLocation,
  serialLightSourceConfigSchema,
  type SerialLightSourceConfig,
  type SerialLightSourceConfigInput,
} from './serial-light-source.config';

export type SerialConnectionState = 'connected' | 'disconnected' | 'closed';

export interface SerialConnectionEvent {
  readonly state: SerialConnectionState;
  readonly port: string;
  readonly reason?: string;
  /** True on a reconnection after which the last commanded state was put back. */
  readonly restored?: boolean;
}

/**
 * A CoolLED pE-4000 driven directly over its USB-serial port. Implements LightSource; like every light source it is
 * meant to be reached only through the safety envelope (src/hardware/safety). When the device goes away the driver
 * keeps trying to reopen it and then puts back the last state it commanded, never more light than that; requests for
 * less light made while it was away fail (the device is unreachable) but still lower what will be restored.
 */
export class CoolLedPe4000 implements LightSource {
  readonly label: string;
  private session?: Pe4000Session;
  private target: Pe4000Snapshot;
  private closed = false;
  private reconnectTimer?: NodeJS.Timeout;
  /** Last reason a reconnection failed, so an outage is logged once per reason rather than every attempt. */
  private lastReconnectFailure?: string;
  private readonly connectionSubject: BehaviorSubject<SerialConnectionEvent>;
  private readonly statusSubject = new Subject<readonly LightChannel[]>();

  /** Connection changes: connected, disconnected (with the reason), closed. */
  readonly connection$: Observable<SerialConnectionEvent>;
  /** Every channel state the device reported, in replies or on its own (the control pod was used). */
  readonly status$: Observable<readonly LightChannel[]> = this.statusSubject.asObservable();

  private constructor(
    private readonly config: SerialLightSourceConfig,
    session: Pe4000Session,
    statuses: readonly Pe4000ChannelStatus[],
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
  ) {
    this.label = config.label;
    this.session = session;
    this.target = { statuses, wavelengthsNm: [...session.wavelengthsNm] };
    this.connectionSubject = new BehaviorSubject<SerialConnectionEvent>({ state: 'connected', port: session.path });
    this.connection$ = this.connectionSubject.asObservable();
  }

  /** Opens the port, checks it is a pE-4000 and reads its state; fails if the device cannot be reached now. */
  static async open(
    config: SerialLightSourceConfigInput,
    logger: Pick<LoggerService, 'log' | 'warn'> = new Logger(CoolLedPe4000.name),
  ): Promise<CoolLedPe4000> {
    const parsed = serialLightSourceConfigSchema.parse(config);
    let source: CoolLedPe4000 | undefined;
    const session = await Pe4000Session.open(parsed, {
      status: (statuses) => source?.adoptStatus(statuses),
      lost: (reason) => source?.onLost(session, reason),
    });
    const statuses = await session.execute(pe4000.status());
    source = new CoolLedPe4000(parsed, session, statuses, logger);
    logger.log({ msg: 'pE-4000 connected', port: session.path, model: session.model, wavelengthsNm: session.wavelengthsNm });
    if (!session.isOpen) source.onLost(session, 'port closed while connecting');
    return source;
  }

  get isConnected(): boolean {
    return this.session?.isOpen ?? false;
  }

  async getChannels(): Promise<readonly LightChannel[]> {
    return this.toLightChannels(await this.runStatus(pe4000.status()));
  }

  async setChannelOn(channel: number, on: boolean): Promise<void> {
    this.checkChannel(channel);
    if (!this.isConnected && !on) this.lowerTarget(channel, { on: false });
    const current = this.target.statuses[channel];
    await this.runStatus(
      pe4000.setChannels([
        { letter: current.letter, selected: on ? true : current.selected, on, intensityPercent: current.intensityPercent },
      ]),
    );
  }

  /**
   * Selects or deselects a channel, as the pod's buttons do; a deselected channel cannot emit. The device does not
   * answer C<x>S / C<x>X, so the resulting state is read back with CSS?.
   */
  async setChannelSelected(channel: number, selected: boolean): Promise<void> {
    this.checkChannel(channel);
    if (!this.isConnected && !selected) this.lowerTarget(channel, { on: false });
    await this.run(pe4000.select(channel, selected));
    await this.runStatus(pe4000.status());
  }

  /** Integer percent on the wire: fractions are rounded down, so the device never gets more than asked. */
  async setPowerPercent(channel: number, powerPercent: number): Promise<void> {
    this.checkChannel(channel);
    if (typeof powerPercent !== 'number' || !Number.isFinite(powerPercent) || powerPercent < 0 || powerPercent > 100) {
      throw new InvalidLightCommandError(`${this.label}: power must be 0–100 %, got ${String(powerPercent)}`, this.portName);
    }
    const percent = Math.floor(powerPercent);
    if (!this.isConnected) this.lowerTarget(channel, { intensityPercent: percent });
    await this.runStatus(pe4000.setIntensity(channel, percent));
  }

  async allOff(): Promise<void> {
    if (!this.isConnected) for (let i = 0; i < 4; i++) this.lowerTarget(i, { on: false });
    await this.runStatus(pe4000.allOff());
  }

  /** Loads one of the four LEDs a channel carries (see PE4000_WAVELENGTHS_NM). */
  async setWavelengthNm(channel: number, wavelengthNm: number): Promise<void> {
    this.checkChannel(channel);
    if (!PE4000_WAVELENGTHS_NM[channel].includes(wavelengthNm)) {
      throw new InvalidLightCommandError(
        `${this.label}: channel ${channel} carries ${PE4000_WAVELENGTHS_NM[channel].join(', ')} nm, not ${wavelengthNm}`,
        this.portName,
      );
    }
    const loaded = await this.run(pe4000.loadWavelength(channel, wavelengthNm));
    const wavelengthsNm = [...this.target.wavelengthsNm];
    wavelengthsNm[channel] = loaded;
    this.target = { ...this.target, wavelengthsNm };
  }

  getModel(): Promise<string> {
    return this.run(pe4000.model());
  }

  getFirmwareVersions(): Promise<Pe4000Versions> {
    return this.run(pe4000.versions());
  }

  /** false locks the control pod so the light changes only through this driver. */
  async setPodEnabled(enabled: boolean): Promise<void> {
    await this.run(pe4000.podEnabled(enabled));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const session = this.session;
    this.session = undefined;
    await session?.close();
    this.connectionSubject.next({ state: 'closed', port: this.portName });
    this.connectionSubject.complete();
    this.statusSubject.complete();
  }

  private get portName(): string {
    return this.session?.path ?? describeLocation(this.config.port);
  }

  private checkChannel(channel: number): void {
    if (!Number.isInteger(channel) || channel < 0 || channel > 3) {
      throw new InvalidLightCommandError(`${this.label}: channel must be 0–3, got ${String(channel)}`, this.portName);
    }
  }

  private async run<T>(command: LineCommand<T>): Promise<T> {
    if (this.closed) throw new SerialDeviceClosedError(`${this.label} was closed`, this.portName);
    const session = this.session;
    if (!session || !session.isOpen) {
      throw new SerialDisconnectedError(`${this.label} on ${this.portName} is unplugged; reconnecting`, this.portName);
    }
    return session.execute(command);
  }

  /** For commands answered with the status line: what the device reports becomes the state to restore. */
  private async runStatus(command: LineCommand<readonly Pe4000ChannelStatus[]>): Promise<readonly Pe4000ChannelStatus[]> {
    const statuses = await this.run(command);
    this.adoptStatus(statuses);
    return statuses;
  }

  private adoptStatus(statuses: readonly Pe4000ChannelStatus[]): void {
    this.target = { ...this.target, statuses };
    this.statusSubject.next(this.toLightChannels(statuses));
  }

  private lowerTarget(channel: number, change: { on?: boolean; intensityPercent?: number }): void {
    const statuses = this.target.statuses.map((s, i) =>
      i !== channel
        ? s
        : { ...s, on: change.on === false ? false : s.on, intensityPercent: Math.min(s.intensityPercent, change.intensityPercent ?? 100) },
    );
    this.target = { ...this.target, statuses };
  }

  private toLightChannels(statuses: readonly Pe4000ChannelStatus[]): readonly LightChannel[] {
    return statuses.map((s) => ({
      index: s.index,
      wavelengthNm: this.target.wavelengthsNm[s.index],
      on: s.on && s.selected,
      powerPercent: s.intensityPercent,
    }));
  }

  private onLost(session: Pe4000Session, reason: string): void {
    if (this.closed || session !== this.session) return;
    this.session = undefined;
    void session.close();
    this.logger.warn({ msg: 'pE-4000 unplugged; reconnecting', port: session.path, reason });
    this.connectionSubject.next({ state: 'disconnected', port: session.path, reason });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => void this.reconnect(), this.config.reconnectIntervalMs);
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    let session: Pe4000Session | undefined;
    try {
      const opened = await Pe4000Session.open(this.config, {
        // During the restore the plan's own replies are what counts; afterwards pod broadcasts are adopted.
        status: (statuses) => session !== undefined && session === this.session && this.adoptStatus(statuses),
        lost: (reason) => session && this.onLost(session, reason),
      });
      session = opened;
      const statuses = await this.restore(opened);
      if (this.closed) {
        await opened.close();
        return;
      }
      this.session = opened;
      this.lastReconnectFailure = undefined;
      this.statusSubject.next(this.toLightChannels(statuses));
      this.logger.log({ msg: 'pE-4000 reconnected, last commanded state restored', port: opened.path });
      this.connectionSubject.next({ state: 'connected', port: opened.path, restored: true });
      if (!opened.isOpen) this.onLost(opened, 'port closed while restoring');
    } catch (err) {
      await session?.close();
      const reason = (err as Error).message;
      if (reason !== this.lastReconnectFailure)
        this.logger.warn({ msg: 'pE-4000 not back yet; still trying', port: this.portName, reason });
      this.lastReconnectFailure = reason;
      this.scheduleReconnect();
    }
  }

  /**
   * Brings the device back to the last commanded state. Requests for less light may arrive while this runs (they
   * lower the target): the plan is recomputed until the device matches the target.
   */
  private async restore(session: Pe4000Session): Promise<readonly Pe4000ChannelStatus[]> {
    let found: Pe4000Snapshot = { statuses: await session.execute(pe4000.status()), wavelengthsNm: [...session.wavelengthsNm] };
    for (let pass = 0; pass < 4; pass++) {
      const target = this.target;
      const plan = restorePlan(found, target);
      if (plan.length === 0) break;
      let statuses = found.statuses;
      const wavelengthsNm = [...found.wavelengthsNm];
      for (const command of plan) {
        const result = await session.execute(command);
        if (typeof result === 'number') wavelengthsNm[PE4000_WAVELENGTHS_NM.findIndex((nms) => nms.includes(result))] = result;
        else if (Array.isArray(result)) statuses = result as readonly Pe4000ChannelStatus[];
      }
      found = { statuses, wavelengthsNm };
    }
    // The device may show less than asked (a channel deselected on the pod), never more: keep the lower of both.
    this.target = neverBrighterThan(found, this.target);
    return found.statuses;
  }
}
