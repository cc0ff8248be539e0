import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSpecimen } from '../sample';
import type { Specimen } from '../sample/contract';
import { BridgeServer } from './bridge-server';
import { parseMicroManagerCfg } from './cfg-parser';
import { SimulatedClasses } from './cmmcore-object';
import type { LightSourceOptions } from './device-library';
import { SimMicroscope, type MicroscopeOptions } from './microscope';
import type { LightCommand } from './sim-core';
import { LightStateFileReader } from '../serial-light-source/light-state';
import { SimCore } from './sim-core';

export { SERVER_VERSION } from './bridge-server';
export type { LightSourceOptions } from './device-library';
export type { MicroscopeOptions } from './microscope';
export { BridgeServer, SimCore, SimMicroscope };

const PROJECT_ROOT = resolve(__dirname, '../..');

/** Micro-Manager's demo configuration from ../shared/data beside the project, or our own equivalent. */
export function defaultConfigFile(): string {
  const shared = resolve(PROJECT_ROOT, '../shared/data/micro-manager/MMConfig_demo.cfg');
  return existsSync(shared) ? shared : resolve(__dirname, 'config/demo.cfg');
}

export interface MicroManagerSimulatorOptions extends MicroscopeOptions {
  /** State file of the emulated serial light source: the specimen then receives the light it emits. */
  readonly lightStateFile?: string;
  /** Appends every command a simulated light source accepts to this file, one JSON line each. */
  readonly lightLogFile?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port. Default 4827, Micro-Manager's. */
  readonly port?: number;
  /** A Micro-Manager .cfg file. Default: defaultConfigFile(). */
  readonly configFile?: string;
  /** Seed of the default specimen. Default 1. */
  readonly seed?: number;
  /** What the camera looks at. Default: createSpecimen({ seed }) from simulators/sample. */
  readonly specimen?: Specimen;
  /** The LED added beside the configuration's devices: options, just its label, or null for none. Default "LED". */
  readonly lightSource?: LightSourceOptions | string | null;
}

export interface RunningMicroManagerSimulator {
  readonly endpoint: string;
  readonly port: number;
  /** Devices, properties, roles, groups, state cache: for tests and in-process tools (clients use the wire). */
  readonly core: SimCore;
  /** Camera, stages, light path and sequence acquisition. */
  readonly microscope: SimMicroscope;
  readonly server: BridgeServer;
  /** The CMMCore signatures the simulator implements, e.g. "snapImage()"; other listed ones answer "not implemented". */
  readonly implementedMethods: readonly string[];
  close(): Promise<void>;
}

export async function startMicroManagerSimulator(options: MicroManagerSimulatorOptions = {}): Promise<RunningMicroManagerSimulator> {
  const host = options.host ?? '127.0.0.1';
  const cfg = parseMicroManagerCfg(readFileSync(options.configFile ?? defaultConfigFile(), 'latin1'));
  const lightSource = typeof options.lightSource === 'string' ? { label: options.lightSource } : options.lightSource;
  const logFile = options.lightLogFile;
  const onLightCommand = logFile
    ? (command: LightCommand) => appendFileSync(logFile, JSON.stringify({ at: new Date().toISOString(), ...command }) + '\n')
    : undefined;
  const core = new SimCore(cfg, { lightSource, onLightCommand });
  const reader = options.lightStateFile ? new LightStateFileReader(options.lightStateFile) : undefined;
  const microscopeOptions = reader ? { ...options, externalLight: () => reader.illumination() } : options;
  const microscope = new SimMicroscope(core, options.specimen ?? createSpecimen({ seed: options.seed ?? 1 }), microscopeOptions);
  const classes = new SimulatedClasses(microscope);
  const server = new BridgeServer(classes);
  let port: number;
  try {
    port = await server.listen(host, options.port ?? 4827);
  } catch (err) {
    microscope.dispose();
    await server.close();
    throw err;
  }
  return {
    endpoint: `tcp://${host}:${port}`,
    port,
    core,
    microscope,
    server,
    implementedMethods: classes.implementedSignatures(),
    async close() {
      microscope.dispose();
      await server.close();
    },
  };
}
