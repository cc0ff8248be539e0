import { SerialPort } from 'serialport';

/**
 * Micro-Manager's CoolLED pE-4000 adapter (mmCoreAndDevices, DeviceAdapters/CoolLEDpE4000/pE4000.cpp) replayed
 * over a raw port: each method sends the bytes its namesake sends and reads exactly what it reads, no more. Lines
 * are returned as MMCore's GetSerialAnswer gives them: up to the LF, which is removed, the CR before it kept.
 */
export class MicroManagerPe4000Adapter {
  /** Every byte written, one entry per command, terminator included. */
  readonly sent: string[] = [];
  private received = '';

  private constructor(
    private readonly port: SerialPort,
    private readonly answerTimeoutMs: number,
  ) {
    port.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
  }

  static open(path: string, answerTimeoutMs = 500): Promise<MicroManagerPe4000Adapter> {
    const port = new SerialPort({ path, baudRate: 57600, autoOpen: false });
    return new Promise((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve(new MicroManagerPe4000Adapter(port, answerTimeoutMs)))),
    );
  }

  /** Bytes that arrived and were not read yet. */
  get unread(): string {
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.port.close(() => resolve()));
  }

  /** Controller::ReadGreeting: two lines, whatever they are (empty when the greeting was missed). */
  async readGreeting(): Promise<string[]> {
    return [await this.receiveOneLine(), await this.receiveOneLine()];
  }

  /** Initialize: XMODEL, then GenerateDescription (XVER) and GeneratePropertyLockPod (PORT:P=ON). */
  async identify(): Promise<{ model: string; versions: string[]; pod: string }> {
    const model = await this.ask('XMODEL', 1);
    const versions = await this.ask('XVER', 8);
    const pod = await this.ask('PORT:P=ON', 1);
    return { model: model[0], versions, pod: pod[0] };
  }

  /** Controller::GetUpdate, run by Initialize and then every 100 ms by the polling thread. */
  async getUpdate(): Promise<{ status: string; lams: string[] }> {
    await this.purge();
    await this.send('CSS?');
    let status = '';
    for (let tries = 0; !status.startsWith('CSS') && tries < 10; tries++) status = await this.receiveOneLine();
    const lams = await this.ask('LAMS', 4);
    return { status, lams };
  }

  /** OnChannelState, AfterSet: sends C<x>S or C<x>X and reads nothing. */
  async setSelection(letter: string, selected: boolean): Promise<void> {
    await this.purge();
    await this.send(`C${letter}${selected ? 'S' : 'X'}`);
  }

  /** SetIntensity (OnIntensity, AfterSet): C<x>I<n> without padding, one line read. */
  async setIntensity(letter: string, percent: number): Promise<string> {
    return (await this.ask(`C${letter}I${percent}`, 1))[0];
  }

  /** OnChannelWave, AfterSet: LOAD:<nm>, lines read until one is not empty. */
  async setWavelength(nm: number): Promise<string> {
    await this.purge();
    await this.send(`LOAD:${nm}`);
    let line = '';
    for (let tries = 0; line.length === 0 && tries < 10; tries++) line = await this.receiveOneLine();
    return line;
  }

  /** OnState, AfterSet (the shutter): CSN or CSF, one line read. */
  async setGlobalState(on: boolean): Promise<string> {
    return (await this.ask(on ? 'CSN' : 'CSF', 1))[0];
  }

  /** OnLockPod, AfterSet: PORT:P=OFF locks the pod, PORT:P=ON frees it; one line read. */
  async setLockPod(locked: boolean): Promise<string> {
    return (await this.ask(locked ? 'PORT:P=OFF' : 'PORT:P=ON', 1))[0];
  }

  /** Resolves with whatever arrived within `ms`, reading nothing away. */
  async bytesWithin(ms: number): Promise<string> {
    const before = this.received.length;
    await new Promise((r) => setTimeout(r, ms));
    return this.received.slice(before);
  }

  private async ask(command: string, lines: number): Promise<string[]> {
    await this.purge();
    await this.send(command);
    const replies: string[] = [];
    for (let i = 0; i < lines; i++) replies.push(await this.receiveOneLine());
    return replies;
  }

  /** PurgeComPort: what is buffered is thrown away. */
  private purge(): Promise<void> {
    this.received = '';
    return new Promise((resolve, reject) => this.port.flush((err) => (err ? reject(err) : resolve())));
  }

  /** SendSerialCommand with the adapter's terminator, CR. */
  private send(command: string): Promise<void> {
    const bytes = `${command}\r`;
    this.sent.push(bytes);
    return new Promise((resolve, reject) => this.port.write(bytes, (err) => (err ? reject(err) : this.port.drain(() => resolve()))));
  }

  /** GetSerialAnswer with LF as terminator; '' when nothing complete came in time. */
  private async receiveOneLine(): Promise<string> {
    const deadline = Date.now() + this.answerTimeoutMs;
    for (;;) {
      const end = this.received.indexOf('\n');
      if (end >= 0) {
        const line = this.received.slice(0, end);
        this.received = this.received.slice(end + 1);
        return line;
      }
      if (Date.now() > deadline) return '';
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}
