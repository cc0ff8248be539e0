import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSpecimen } from '../sample';
import type { Specimen } from '../sample/contract';
import { BridgeServer } from './bridge-server';
import { parseMicroManagerCfg } from './cfg-parser';
import { cmmcoreObject } from './cmmcore-object';
import { SimCore } from './sim-core';
import { SimImaging } from './sim-imaging';

/** Micro-Manager's demo configuration from the shared data, or our own equivalent when it is absent. */
export function defaultConfigFile(): string {
  const shared = resolve(__dirname, '../../../shared/data/micro-manager/MMConfig_demo.cfg');
  return existsSync(shared) ? shared : resolve(__dirname, 'config/demo.cfg');
}

export interface MicroManagerSimulatorOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly configFile?: string;
  readonly seed?: number;
  readonly specimen?: Specimen;
  /** Label of the LED light source added to the configuration; null adds none (the plain demo configuration). */
  readonly lightSource?: string | null;
}

export interface RunningMicroManagerSimulator {
  readonly endpoint: string;
  readonly port: number;
  readonly core: SimCore;
  readonly imaging: SimImaging;
  readonly server: BridgeServer;
  close(): Promise<void>;
}

export async function startMicroManagerSimulator(options: MicroManagerSimulatorOptions = {}): Promise<RunningMicroManagerSimulator> {
  const host = options.host ?? '127.0.0.1';
  const cfg = parseMicroManagerCfg(readFileSync(options.configFile ?? defaultConfigFile(), 'latin1'));
  const core = new SimCore(cfg, { addLightSource: options.lightSource });
  const imaging = new SimImaging(core, options.specimen ?? createSpecimen({ seed: options.seed ?? 1 }));
  const server = new BridgeServer([{ classpath: 'mmcorej.CMMCore', create: () => cmmcoreObject(core, imaging) }]);
  const port = await server.listen(host, options.port ?? 4827);
  return {
    endpoint: `tcp://${host}:${port}`,
    port,
    core,
    imaging,
    server,
    async close() {
      imaging.dispose();
      await server.close();
    },
  };
}
