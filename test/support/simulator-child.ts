import { SimulatorProcess } from '../../src/hardware/simulation/simulator-process';
import { freePort } from './free-port';

export interface SimulatorChild {
  readonly endpoint: string;
  readonly port: number;
  readonly process: SimulatorProcess;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** The simulated Micro-Manager as its own process, reached only over ZeroMQ, as the service reaches it. */
export async function startSimulatorChild(extraArgs: readonly string[] = [], port?: number): Promise<SimulatorChild> {
  const chosenPort = port ?? (await freePort());
  const make = () =>
    new SimulatorProcess({
      entry: 'simulators/micro-manager/main.ts',
      args: ['--port', String(chosenPort), ...extraArgs],
      host: '127.0.0.1',
      port: chosenPort,
    });
  let current = make();
  await current.start();
  const child: SimulatorChild = {
    endpoint: `tcp://127.0.0.1:${chosenPort}`,
    port: chosenPort,
    get process() {
      return current;
    },
    stop: () => current.stop(),
    kill: () => current.kill(),
    async restart() {
      current = make();
      await current.start();
    },
  };
  return child;
}
