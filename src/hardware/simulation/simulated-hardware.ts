import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL } from 'node:url';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { HardwareSettings } from '../hardware.config';
import { SimulatorProcess } from './simulator-process';

/**
 * Simulation mode's hardware as child processes: the simulated Micro-Manager on the configured endpoint and, when
 * asked for, the emulated pE-4000 on a pseudo-terminal, whose light the simulated specimen receives.
 */
@Injectable()
export class SimulatedHardware {
  private readonly logger = new Logger('Simulation');
  private simulator?: SimulatorProcess;
  private serialEmulator?: SimulatorProcess;
  /** Device path of the emulated pE-4000, once it runs. */
  serialPath?: string;

  constructor(@Inject(SCOPE_CONFIG) private readonly config: HardwareSettings) {}

  get simulatorPid(): number | null {
    return this.simulator?.pid ?? null;
  }

  /** Starts what the configuration asks for; nothing outside simulation mode. */
  async start(): Promise<void> {
    if (!this.config.simulation.enabled) return;
    if (this.config.simulation.serialLightSource) await this.startSerialEmulator();
    await this.startSimulator(this.config.microManager.endpoint);
  }

  async stop(): Promise<void> {
    await this.simulator?.stop();
    await this.serialEmulator?.stop();
  }

  private async startSimulator(endpoint: string): Promise<void> {
    const url = new URL(endpoint.replace(/^tcp:/, 'http:'));
    const sim = this.config.simulation;
    const args = ['--host', url.hostname, '--port', url.port, '--seed', String(sim.seed)];
    if (sim.microManagerConfig) args.push('--config', sim.microManagerConfig);
    if (sim.lightLogFile) args.push('--light-log', sim.lightLogFile);
    if (sim.droppedFrames.length) args.push('--drop-frames', sim.droppedFrames.join(','));
    if (sim.overflowAtFrame !== null) args.push('--overflow-at-frame', String(sim.overflowAtFrame));
    // The specimen then receives the light the emulated pE-4000 emits, as commanded over serial.
    if (this.serialPath) args.push('--light-state-file', `${this.serialPath}.state.json`);
    this.simulator = new SimulatorProcess({
      entry: 'simulators/micro-manager/main.ts',
      args,
      host: url.hostname,
      port: Number(url.port),
      onOutput: (line) => this.logger.debug({ msg: line, source: 'simulator' }),
    });
    await this.simulator.start();
    this.logger.log({ msg: `simulated Micro-Manager started on ${endpoint}`, pid: this.simulator.pid });
  }

  private async startSerialEmulator(): Promise<void> {
    const link = join(mkdtempSync(join(tmpdir(), 'scope-serial-')), 'ttyLED');
    const lightLog = this.config.simulation.lightLogFile;
    const emulator = new SimulatorProcess({
      entry: 'simulators/serial-light-source/main.ts',
      args: ['--link', link, ...(lightLog ? ['--light-log', lightLog] : [])],
      readyLine: /emulated pE-4000 ready/,
      onOutput: (line) => this.logger.debug({ msg: line, source: 'serial-emulator' }),
    });
    try {
      await emulator.start();
      this.serialEmulator = emulator;
      this.serialPath = link;
      this.logger.log({ msg: `emulated pE-4000 on ${link}`, pid: emulator.pid });
    } catch (err) {
      await emulator.stop();
      this.logger.warn({ msg: `no emulated serial light source (${(err as Error).message.split('\n')[0]}); using the Micro-Manager LED` });
    }
  }
}
