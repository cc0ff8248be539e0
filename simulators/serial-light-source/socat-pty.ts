import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';

export class SocatUnavailableError extends Error {
  override readonly name = 'SocatUnavailableError';
}

/**
 * A pseudo-terminal made by socat: the far side (the service) opens `linkPath` exactly as it would open
 * /dev/ttyUSB0; our side talks to socat's stdin/stdout. Because socat's other address is STDIO, it exits when we
 * die, so a killed emulator also removes the device, as pulling the USB cable would.
 */
export class SocatPty {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly linkPath: string,
    private exited: Promise<void>,
  ) {}

  static async start(linkPath: string, onData: (chunk: Buffer) => void, onExit: () => void): Promise<SocatPty> {
    if (existsSync(linkPath)) throw new Error(`${linkPath} already exists: another emulator (or a real device link) is using it`);
    removeDanglingLink(linkPath);
    const child = spawn('socat', [`PTY,link=${linkPath},raw,echo=0`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let failure: Error | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure =
        err.code === 'ENOENT'
          ? new SocatUnavailableError('socat is not installed (Debian: apt-get install -y socat); the serial emulator needs it')
          : err;
    });
    // 'exit', not 'close': 'close' also waits for socat's pipes to drain and end, which a loaded machine can hold up
    // long after socat is gone (seen: a pulled cable never reported)
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        onExit();
        resolve();
      }),
    );
    child.stdout.on('data', onData);
    // A write after socat died must not crash the emulator: the device is simply unplugged.
    child.stdin.on('error', () => undefined);
    const deadline = Date.now() + 5000;
    while (!existsSync(linkPath)) {
      if (failure) throw failure;
      if (child.exitCode !== null)
        throw new Error(`socat exited with code ${child.exitCode} before creating ${linkPath}: ${stderr.trim()}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`socat did not create ${linkPath} within 5 s: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return new SocatPty(child, linkPath, exited);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  write(data: string | Buffer): void {
    if (this.alive && this.child.stdin.writable) this.child.stdin.write(data);
  }

  /** Pulls the plug: socat ends, the link disappears and the far side's port closes. */
  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** A socat killed with SIGKILL leaves its link behind, pointing at a pseudo-terminal that no longer exists. */
function removeDanglingLink(linkPath: string): void {
  try {
    if (lstatSync(linkPath).isSymbolicLink()) unlinkSync(linkPath);
  } catch {
    // nothing there
  }
}
