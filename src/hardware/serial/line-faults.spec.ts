import { SerialCommandRejectedError, SerialGarbledReplyError, SerialReplyTimeoutError } from './errors';
import { CommandChannel } from './command-channel';
import { LinePort } from './line-port';
import { CoolLedPe4000 } from './pe4000-light-source';
import { isStatusLine, pe4000 } from './pe4000-protocol';
import { quietLogger, startEmulatedPe4000, type EmulatedPe4000 } from './testing/emulated-pe4000';

describe('a faulty serial line to the pE-4000', () => {
  let device: EmulatedPe4000;
  let led: CoolLedPe4000;

  beforeEach(async () => {
    device = await startEmulatedPe4000();
    led = await CoolLedPe4000.open(device.config({ replyTimeoutMs: 200 }), quietLogger());
  });

  afterEach(async () => {
    await led.close();
    await device.cleanup();
  });

  it('times out on a silent device, naming the command and the port, then works again once it answers', async () => {
    device.emulator.setFaults({ silent: true });
    const error = await led.setPowerPercent(0, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerialReplyTimeoutError);
    expect((error as Error).message).toBe(`CAI10 on ${device.linkPath} gave no complete reply in 200 ms`);
    device.emulator.setFaults({ silent: false });
    await led.setPowerPercent(0, 11);
    expect(device.emulator.state.channels[0].intensityPercent).toBe(11);
  });

  it('waits out a slow device within the timeout', async () => {
    device.emulator.setFaults({ replyDelayMs: 60 });
    await led.setPowerPercent(1, 5);
    expect((await led.getChannels())[1].powerPercent).toBe(5);
  });

  it('reports a late reply as a timeout and does not take it for the next command', async () => {
    device.emulator.setFaults({ replyDelayMs: 300 });
    await expect(led.setPowerPercent(2, 20)).rejects.toThrow(SerialReplyTimeoutError);
    device.emulator.setFaults({ replyDelayMs: 0 });
    // The late CAI20 reply arrives while we resync; the model query must get its own answer.
    expect(await led.getModel()).toBe('pE-4000');
    expect((await led.getChannels())[2].powerPercent).toBe(20);
  });

  it.each(['corrupt', 'noise'] as const)('fails a %s reply as garbled and resynchronises the line', async (mode) => {
    device.emulator.garbleNext(1, mode);
    const error = await led.setPowerPercent(3, 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerialGarbledReplyError);
    expect((error as Error).message).toMatch(/^CDI30 on .*: garbled reply/);
    await led.setPowerPercent(3, 31);
    expect((await led.getChannels())[3].powerPercent).toBe(31);
  });

  it('fails a reply cut short as a timeout showing what came, then resynchronises', async () => {
    device.emulator.garbleNext(1, 'partial');
    const error = await led.getChannels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerialReplyTimeoutError);
    expect((error as SerialReplyTimeoutError).partialReply).toMatch(/^CSSAS/);
    await led.setPowerPercent(0, 44);
    expect((await led.getChannels())[0].powerPercent).toBe(44);
  });

  it('keeps failing clearly while the line stays garbled, and recovers when it clears', async () => {
    device.emulator.setFaults({ garbleRate: 1, garbleMode: 'corrupt' });
    for (let i = 0; i < 3; i++) await expect(led.getChannels()).rejects.toThrow(SerialGarbledReplyError);
    device.emulator.setFaults({ garbleRate: 0 });
    expect(await led.getChannels()).toHaveLength(4);
  });

  it('tells a refusal by the device from a garbled reply', async () => {
    await led.close(); // the port is locked while the driver holds it
    const port = await LinePort.open(
      { path: device.linkPath, baudRate: 57600, commandTerminator: '\r' },
      { line: (l) => channel.receiveLine(l), lost: (r) => channel.portLost(r) },
    );
    const channel: CommandChannel = new CommandChannel(port, {
      replyTimeoutMs: 200,
      resyncQuietMs: 20,
      resyncProbe: pe4000.status(),
      echoesCommands: false,
      isUnsolicited: isStatusLine,
      onUnsolicited: () => undefined,
    });
    const tooBright = { ...pe4000.setIntensity(0, 100), text: 'CAI250' };
    await expect(channel.execute(tooBright)).rejects.toThrow(SerialCommandRejectedError);
    expect(device.emulator.state.channels[0].intensityPercent).toBe(0);
    await port.close();
  });
});
