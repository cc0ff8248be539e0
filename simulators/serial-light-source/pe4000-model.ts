/**
 * The emulated CoolLED pE-4000: its state and how it answers each command line. No I/O here; the emulator feeds
 * lines in and writes the reply lines out. Written independently of the driver in src/hardware/serial so that the
 * two check each other.
 */

export const LETTERS = ['A', 'B', 'C', 'D'] as const;

/** Four LEDs per channel; LOAD picks one. The first of each is loaded at power-up. */
export const CHANNEL_WAVELENGTHS_NM: readonly (readonly number[])[] = [
  [365, 385, 405, 435],
  [460, 470, 490, 500],
  [525, 550, 580, 595],
  [635, 660, 740, 770],
];

export const GREETING_LINES = ['CoolLED precisExcite, Hello, pleased to meet you', 'pE-4000 ready'] as const;

const FIRMWARE = {
  MB: '1.4.2',
  HW: 'C',
  DT: '2.1',
  PD: '1.1.0',
  BE_A: '1.0.7',
  BE_B: '1.0.7',
  BE_C: '1.0.7',
  BE_D: '1.0.7',
} as const;

export interface EmulatedChannel {
  readonly letter: (typeof LETTERS)[number];
  readonly index: number;
  wavelengthNm: number;
  selected: boolean;
  on: boolean;
  intensityPercent: number;
}

export interface Pe4000ModelState {
  readonly channels: readonly Readonly<EmulatedChannel>[];
  readonly podEnabled: boolean;
}

function powerUpChannels(): EmulatedChannel[] {
  return LETTERS.map((letter, index) => ({
    letter,
    index,
    wavelengthNm: CHANNEL_WAVELENGTHS_NM[index][0],
    selected: true,
    on: false,
    intensityPercent: 0,
  }));
}

export interface Pe4000ModelOptions {
  /**
   * Answer C<x>S / C<x>X with the status line. The device does not (see PROTOCOL.md); tests use this to check that
   * the driver also copes with a device that does.
   */
  readonly chattySelect?: boolean;
}

export class Pe4000Model {
  private channels = powerUpChannels();
  private podEnabled = true;

  constructor(
    private readonly onChange: () => void = () => undefined,
    private readonly options: Pe4000ModelOptions = {},
  ) {}

  get state(): Pe4000ModelState {
    return { channels: this.channels.map((c) => ({ ...c })), podEnabled: this.podEnabled };
  }

  /** Power-up state: every channel off at 0 %, the first LED of each channel loaded. */
  reset(): void {
    this.channels = powerUpChannels();
    this.podEnabled = true;
    this.onChange();
  }

  /** Reply lines (without terminators) for one command line; none for a command the device does not answer. */
  handle(rawLine: string): string[] {
    const line = rawLine.trim().toUpperCase();
    const before = JSON.stringify(this.channels) + this.podEnabled;
    const reply = this.execute(line);
    if (JSON.stringify(this.channels) + this.podEnabled !== before) this.onChange();
    return reply;
  }

  private execute(line: string): string[] {
    if (line === 'CSS?') return [this.statusLine()];
    if (line === 'CSN' || line === 'CSF') {
      for (const c of this.channels) c.on = line === 'CSN' && c.selected;
      return [this.statusLine()];
    }
    if (line === 'LAMS') return this.channels.map((c) => `LAM:${c.letter}:${c.wavelengthNm}`);
    if (line === 'XMODEL') return ['XMODEL:pE-4000'];
    if (line === 'XVER') return Object.entries(FIRMWARE).map(([part, version]) => `XVER:${part}=${version}`);
    if (line === 'PORT:P=ON' || line === 'PORT:P=OFF') {
      this.podEnabled = line.endsWith('ON');
      return [line];
    }
    const blocks = /^CSS((?:[A-D][SX][NF]\d{3})+)$/.exec(line);
    if (blocks) return this.setBlocks(blocks[1], line);
    const select = /^C([A-D])([SX])$/.exec(line);
    if (select) {
      const c = this.channel(select[1]);
      c.selected = select[2] === 'S';
      if (!c.selected) c.on = false;
      return this.options.chattySelect ? [this.statusLine()] : [];
    }
    const intensity = /^C([A-D])I(\d{1,3})$/.exec(line);
    if (intensity) {
      const percent = Number(intensity[2]);
      if (percent > 100) return [`ERROR:${line}`];
      this.channel(intensity[1]).intensityPercent = percent;
      return [this.statusLine()];
    }
    const query = /^C([A-D])\?$/.exec(line);
    if (query) return [`C${query[1]}${String(this.channel(query[1]).intensityPercent).padStart(3, '0')}`];
    const load = /^LOAD:(\d{3})$/.exec(line);
    if (load) {
      const nm = Number(load[1]);
      const index = CHANNEL_WAVELENGTHS_NM.findIndex((nms) => nms.includes(nm));
      if (index < 0) return [`ERROR:${line}`];
      this.channels[index].wavelengthNm = nm;
      return [`LAM:${LETTERS[index]}:${nm}`];
    }
    return [`ERROR:${line}`];
  }

  private setBlocks(blocks: string, line: string): string[] {
    const parsed = blocks.match(/[A-D][SX][NF]\d{3}/g) ?? [];
    if (parsed.some((b) => Number(b.slice(3)) > 100)) return [`ERROR:${line}`];
    for (const block of parsed) {
      const c = this.channel(block[0]);
      c.selected = block[1] === 'S';
      c.on = block[2] === 'N' && c.selected;
      c.intensityPercent = Number(block.slice(3));
    }
    return [this.statusLine()];
  }

  private channel(letter: string): EmulatedChannel {
    return this.channels[LETTERS.indexOf(letter as (typeof LETTERS)[number])];
  }

  private statusLine(): string {
    return (
      'CSS' +
      this.channels
        .map((c) => `${c.letter}${c.selected ? 'S' : 'X'}${c.on ? 'N' : 'F'}${String(c.intensityPercent).padStart(3, '0')}`)
        .join('')
    );
  }
}
