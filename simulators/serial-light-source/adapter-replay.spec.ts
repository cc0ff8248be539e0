import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialLightSourceEmulator } from './emulator';
import { CHANNEL_WAVELENGTHS_NM, GREETING_LINES, LETTERS } from './pe4000-model';
import { MicroManagerPe4000Adapter } from './testing/micro-manager-adapter';

interface ChannelProperties {
  intensity: number;
  selection: 0 | 1;
  on: boolean;
  wavelengthNm: number;
}

/** The properties as GetUpdate cuts them out of the CSS? and LAMS replies (pE4000.cpp, Controller::GetUpdate). */
function propertiesAsTheAdapterReadsThem({ status, lams }: { status: string; lams: string[] }) {
  const channels = LETTERS.map((_, i) => ({
    intensity: Number.parseInt(status.substr(6 + i * 6, 3), 10),
    selection: status.substr(4 + i * 6, 1) === 'S' ? 1 : 0,
    wavelengthNm: lams[i].startsWith('LAM') ? Number.parseInt(lams[i].slice(6), 10) : Number.NaN,
  }));
  const globalState = LETTERS.some((_, i) => status.substr(5 + i * 6, 1) === 'N') ? 1 : 0;
  return { channels, globalState };
}

function statusLine(channels: readonly ChannelProperties[]): string {
  const blocks = channels.map(
    (c, i) => `${LETTERS[i]}${c.selection ? 'S' : 'X'}${c.on ? 'N' : 'F'}${String(c.intensity).padStart(3, '0')}`,
  );
  return `CSS${blocks.join('')}\r`;
}

describe("Micro-Manager's CoolLED pE-4000 adapter replayed against the emulator", () => {
  let dir: string;
  let emulator: SerialLightSourceEmulator;
  let adapter: MicroManagerPe4000Adapter;
  let received: string[];

  const start = async (chattySelect = false) => {
    emulator = await SerialLightSourceEmulator.start({ linkPath: join(dir, 'ttyLED'), chattySelect });
    emulator.on('command', (line: string) => received.push(line));
    adapter = await MicroManagerPe4000Adapter.open(join(dir, 'ttyLED'));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-pe4000-'));
    received = [];
  });

  afterEach(async () => {
    await adapter?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the handshake of Initialize in the form the adapter parses', async () => {
    await start();
    const greeting = await adapter.readGreeting();
    // Written when the device appears: a port opened later may have missed it, and the adapter purges it anyway.
    expect([['', ''], GREETING_LINES.map((l) => `${l}\r`)]).toContainEqual(greeting);

    const { model, versions, pod } = await adapter.identify();
    expect(model).toBe('XMODEL:pE-4000\r');
    expect(versions).toEqual([
      'XVER:MB=1.4.2\r',
      'XVER:HW=C\r',
      'XVER:DT=2.1\r',
      'XVER:PD=1.1.0\r',
      'XVER:BE_A=1.0.7\r',
      'XVER:BE_B=1.0.7\r',
      'XVER:BE_C=1.0.7\r',
      'XVER:BE_D=1.0.7\r',
    ]);
    expect([versions[0].slice(8), versions[3].slice(8), versions[4].slice(10)].map((v) => v.trim())).toEqual(['1.4.2', '1.1.0', '1.0.7']);
    expect(pod).toBe('PORT:P=ON\r');

    const update = await adapter.getUpdate();
    expect(update.status).toBe('CSSASF000BSF000CSF000DSF000\r');
    expect(update.lams).toEqual(['LAM:A:365\r', 'LAM:B:460\r', 'LAM:C:525\r', 'LAM:D:635\r']);
    expect(await adapter.bytesWithin(100)).toBe('');

    expect(adapter.sent).toEqual(['XMODEL\r', 'XVER\r', 'PORT:P=ON\r', 'CSS?\r', 'LAMS\r']);
    expect(received).toEqual(adapter.sent.map((bytes) => bytes.slice(0, -1)));
  });

  it('sets every property of every channel and reads them back, and stays silent where the adapter reads nothing', async () => {
    await start();
    await adapter.readGreeting();
    await adapter.identify();
    await adapter.getUpdate();
    const expected: ChannelProperties[] = LETTERS.map((_, i) => ({
      intensity: 0,
      selection: 1,
      on: false,
      wavelengthNm: CHANNEL_WAVELENGTHS_NM[i][0],
    }));
    const readBack = async () => {
      const { channels, globalState } = propertiesAsTheAdapterReadsThem(await adapter.getUpdate());
      expect(channels).toEqual(expected.map(({ intensity, selection, wavelengthNm }) => ({ intensity, selection, wavelengthNm })));
      expect(globalState).toBe(expected.some((c) => c.on) ? 1 : 0);
    };

    for (const [i, letter] of LETTERS.entries()) {
      await adapter.setSelection(letter, false);
      expect(await adapter.bytesWithin(100)).toBe('');
      expected[i].selection = 0;
      await readBack();

      await adapter.setSelection(letter, true);
      expect(await adapter.bytesWithin(100)).toBe('');
      expected[i].selection = 1;
      await readBack();

      expected[i].intensity = 10 * i + 5;
      expect(await adapter.setIntensity(letter, 10 * i + 5)).toBe(statusLine(expected));
      await readBack();

      expected[i].wavelengthNm = CHANNEL_WAVELENGTHS_NM[i][2];
      expect(await adapter.setWavelength(expected[i].wavelengthNm)).toBe(`LAM:${letter}:${expected[i].wavelengthNm}\r`);
      await readBack();
    }

    await adapter.setSelection('C', false);
    expected[2].selection = 0;
    for (const c of expected) c.on = c.selection === 1;
    expect(await adapter.setGlobalState(true)).toBe(statusLine(expected));
    await readBack();
    expect(emulator.state.channels.map((c) => c.emitting)).toEqual([true, true, false, true]);

    expect(await adapter.setLockPod(true)).toBe('PORT:P=OFF\r');
    expect(emulator.state.podEnabled).toBe(false);
    expect(await adapter.setLockPod(false)).toBe('PORT:P=ON\r');
    expect(emulator.state.podEnabled).toBe(true);

    for (const c of expected) c.on = false;
    expect(await adapter.setGlobalState(false)).toBe(statusLine(expected));
    await readBack();
    expect(await adapter.bytesWithin(100)).toBe('');
    expect(received).toEqual(adapter.sent.map((bytes) => bytes.slice(0, -1)));
    expect(adapter.sent.every((bytes) => /^[^\r\n]+\r$/.test(bytes))).toBe(true);
  });

  it('keeps the wavelengths in place when the polling thread runs right after a selection', async () => {
    await start();
    await adapter.readGreeting();
    await adapter.identify();
    for (let round = 0; round < 8; round++) {
      const letter = LETTERS[round % 4];
      await adapter.setSelection(letter, round >= 4);
      const { channels } = propertiesAsTheAdapterReadsThem(await adapter.getUpdate());
      expect(channels.map((c) => c.wavelengthNm)).toEqual(CHANNEL_WAVELENGTHS_NM.map((nms) => nms[0]));
      expect(channels[round % 4].selection).toBe(round < 4 ? 0 : 1);
    }
  });

  it('leaves a line the adapter never reads when told to answer selection (--chatty-select)', async () => {
    await start(true);
    await adapter.readGreeting();
    await adapter.identify();
    await adapter.setSelection('B', false);
    expect(await adapter.bytesWithin(100)).toBe('CSSASF000BXF000CSF000DSF000\r\n');
  });
});
