import { CommandChannel } from './command-channel';
import { LinePort } from './line-port';
import { isStatusLine, parseStatusLine, pe4000, type Pe4000ChannelStatus } from './pe4000-protocol';
import { emulatedLedPerTest, startEmulatedPe4000, type EmulatedPe4000 } from './testing/emulated-pe4000';

/** A bare command channel on the emulator's pseudo-terminal, recording the status lines it handled as broadcasts. */
async function openChannel(device: EmulatedPe4000): Promise<{ channel: CommandChannel; broadcasts: string[]; close(): Promise<void> }> {
  const broadcasts: string[] = [];
  let channel: CommandChannel | undefined;
  const port = await LinePort.open(
    { path: device.linkPath, baudRate: 57600, commandTerminator: '\r' },
    { line: (l) => channel?.receiveLine(l), lost: (r) => channel?.portLost(r) },
  );
  channel = new CommandChannel(port, {
    replyTimeoutMs: 500,
    resyncQuietMs: 30,
    resyncProbe: pe4000.status(),
    echoesCommands: false,
    isUnsolicited: isStatusLine,
    onUnsolicited: (line) => broadcasts.push(line),
  });
  return { channel, broadcasts, close: () => port.close() };
}

describe.each([
  ['stays silent on C<x>S / C<x>X, as the pE-4000 does', false],
  ['answers C<x>S / C<x>X with a status line', true],
])('the pE-4000 driver with a device that %s', (_behaviour, chattySelect) => {
  const emulated = emulatedLedPerTest({ chattySelect });
  const { commands } = emulated;

  it('selects and deselects every channel without waiting for a reply', async () => {
    for (let i = 0; i < 4; i++) {
      await emulated.led.setChannelSelected(i, false);
      expect(emulated.device.emulator.state.channels[i].selected).toBe(false);
      await emulated.led.setChannelSelected(i, true);
      expect(emulated.device.emulator.state.channels[i].selected).toBe(true);
    }
    expect(commands.filter((c) => /^C[A-D][SX]$/.test(c))).toEqual(['CAX', 'CAS', 'CBX', 'CBS', 'CCX', 'CCS', 'CDX', 'CDS']);
  });

  it('answers every command queued right behind a selection with its own reply', async () => {
    await emulated.led.setPowerPercent(2, 30);
    await emulated.led.setChannelOn(2, true);
    const statuses: number[][] = [];
    const sub = emulated.led.status$.subscribe((channels) => statuses.push(channels.map((c) => c.powerPercent)));
    const results = await Promise.all([
      emulated.led.setChannelSelected(2, false),
      emulated.led.setPowerPercent(0, 55),
      emulated.led.getModel(),
      emulated.led.setWavelengthNm(3, 740),
      emulated.led.getFirmwareVersions(),
      emulated.led.setPowerPercent(1, 7),
      emulated.led.getChannels(),
    ]);
    sub.unsubscribe();
    expect(results[2]).toBe('pE-4000');
    expect(results[4]).toMatchObject({ mainboard: '1.4.2', pod: '1.1.0' });
    expect(results[6]).toEqual([
      { index: 0, wavelengthNm: 365, on: false, powerPercent: 55 },
      { index: 1, wavelengthNm: 460, on: false, powerPercent: 7 },
      { index: 2, wavelengthNm: 525, on: false, powerPercent: 30 },
      { index: 3, wavelengthNm: 740, on: false, powerPercent: 0 },
    ]);
    expect(statuses[statuses.length - 1]).toEqual([55, 7, 30, 0]);
    expect(emulated.device.emulator.state.channels[2]).toMatchObject({ selected: false, emitting: false });
  });

  it('reads the wavelengths in place when LAMS follows a selection at once', async () => {
    await emulated.led.close();
    const { channel, close } = await openChannel(emulated.device);
    for (const letterIndex of [0, 1, 2, 3]) {
      const [selected, wavelengths] = await Promise.all([
        channel.execute(pe4000.select(letterIndex, false)),
        channel.execute(pe4000.wavelengths()),
      ]);
      expect(selected).toBeUndefined();
      expect(wavelengths).toEqual([365, 460, 525, 635]);
    }
    const status = await channel.execute(pe4000.status());
    expect(status.map((s) => s.selected)).toEqual([false, false, false, false]);
    await close();
  });
});

describe('a status line that answers a selection late', () => {
  let device: EmulatedPe4000;

  beforeEach(async () => (device = await startEmulatedPe4000({ chattySelect: true })));
  afterEach(async () => device.cleanup());

  it('is handled as a broadcast, not taken for the answer to the command after it', async () => {
    const { channel, broadcasts, close } = await openChannel(device);
    await channel.execute(pe4000.status());
    // Slower than the drain after a silent command: the stray line comes while the next command waits.
    device.emulator.setFaults({ replyDelayMs: 120 });
    const [, intensity] = await Promise.all([channel.execute(pe4000.select(1, false)), channel.execute(pe4000.setIntensity(0, 55))]);
    expect((intensity as readonly Pe4000ChannelStatus[])[0].intensityPercent).toBe(55);
    expect(broadcasts.map((l) => parseStatusLine(l)[0].intensityPercent)).toEqual([0]);
    device.emulator.setFaults({ replyDelayMs: 0 });
    const status = await channel.execute(pe4000.status());
    expect(status.map((s) => [s.selected, s.intensityPercent])).toEqual([
      [true, 55],
      [false, 0],
      [true, 0],
      [true, 0],
    ]);
    await close();
  });
});
