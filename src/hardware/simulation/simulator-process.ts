import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';

const PROJECT_ROOT = resolve(__dirname, '../../..');

export class SimulatorStartError extends Error {
  override readonly name = 'SimulatorStartError';
}

export interface SimulatorProcessOptions {
  /** Path of the simulator's entry point, relative to the project root. */
  readonly entry: string;
  readonly args: readonly string[];
  /** Ready when this TCP port accepts connections… */
  readonly host?: string;
  readonly port?: number;
  /** …or when the process prints a line matching this (simulators that listen on no port, e.g. a serial device). */
  readonly readyLine?: RegExp;
  readonly startTimeoutMs?: number;
  readonly onOutput?: (line: string) => void;
}

function portAcceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * A simulator run as a child process: the service reaches it only through its real protocol, exactly as it
 * would reach hardware, and never imports its code.
 */
export class SimulatorProcess {
  private child?: ChildProcess;
  private exitedEarly?: string;

  constructor(private readonly options: SimulatorProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { host = '127.0.0.1', port, entry, args, readyLine } = this.options;
    if (port !== undefined && (await portAcceptsConnections(host, port))) {
      throw new SimulatorStartError(
        `cannot start the simulator ${entry}: ${host}:${port} is already in use (a real Micro-Manager or another simulator?)`,
      );
    }
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', resolve(PROJECT_ROOT, entry), ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    this.child = child;
    const output: string[] = [];
    let sawReadyLine = false;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        if (readyLine?.test(line)) sawReadyLine = true;
        if (output.length < 50) output.push(line);
        this.options.onOutput?.(line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code, signal) => {
      this.exitedEarly = `exited with ${signal ?? `code ${code}`}`;
    });

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (this.exitedEarly) {
        throw new SimulatorStartError(`simulator ${entry} ${this.exitedEarly} before listening:\n${output.join('\n')}`);
      }
      if (readyLine ? sawReadyLine : port !== undefined && (await portAcceptsConnections(host, port))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    const awaited = readyLine ? `print ${readyLine}` : `listen on ${host}:${port}`;
    throw new SimulatorStartError(`simulator ${entry} did not ${awaited} in time:\n${output.join('\n')}`);
  }

  /** Ends the process abruptly (a crash or a pulled cable, as seen from the client). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
