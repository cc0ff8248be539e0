/**
 * The CoolLED pE-4000 ASCII command set (see README.md beside this file): commands as LineCommand values whose
 * replies are validated into typed values. Channels are A–D on the wire and 0–3 everywhere else.
 */
import { ReplyFormatError, type LineCommand } from './line-command';

export const PE4000_CHANNEL_LETTERS = ['A', 'B', 'C', 'D'] as const;
export type ChannelLetter = (typeof PE4000_CHANNEL_LETTERS)[number];

/** The LED wavelengths each channel can load, nm (four per channel, sixteen in all). */
export const PE4000_WAVELENGTHS_NM: readonly (readonly number[])[] = [
  [365, 385, 405, 435],
  [460, 470, 490, 500],
  [525, 550, 580, 595],
  [635, 660, 740, 770],
];

export const PE4000_BAUD_RATE = 57600;
export interface Pe4000ChannelStatus {
  readonly index: number;
  readonly letter: ChannelLetter;
  /** Selected on the pod (S) or not (X); an unselected channel cannot emit. */
  readonly selected: boolean;
  /** Switched on (N) or off (F). */
  readonly on: boolean;
  readonly intensityPercent: number;
}

export interface Pe4000Versions {
  readonly mainboard: string;
  readonly hardware: string;
  readonly data: string;
  readonly pod: string;
  readonly backends: readonly string[];
}

const STATUS_BLOCK = /([A-H])([SX])([NF])(\d{3})/y;
const STATUS_LINE = /^CSS(?:[A-H][SX][NF]\d{3})+$/;
const LAM_LINE = /^LAM:([A-H]):(\d{3})$/;
const VERSION_LABELS = ['MB', 'HW', 'DT', 'PD', 'BE_A', 'BE_B', 'BE_C', 'BE_D'] as const;
const REFUSAL = /^ERROR/;

export function channelLetter(index: number): ChannelLetter {
  const letter = PE4000_CHANNEL_LETTERS[index];
  if (letter === undefined) throw new RangeError(`pE-4000 channel index must be 0–3, got ${index}`);
  return letter;
}

export function isStatusLine(line: string): boolean {
  return STATUS_LINE.test(line);
}

/** `CSSASN050BXF000…` → one status per channel A–D; lines for expansion channels E–H are ignored. */
export function parseStatusLine(line: string): readonly Pe4000ChannelStatus[] {
  if (!STATUS_LINE.test(line)) throw new ReplyFormatError(`not a CSS status line: ${JSON.stringify(line)}`);
  const statuses: Pe4000ChannelStatus[] = [];
  STATUS_BLOCK.lastIndex = 3;
  for (let m = STATUS_BLOCK.exec(line); m; m = STATUS_BLOCK.exec(line)) {
    const [, letter, selection, onOff, digits] = m;
    const intensityPercent = Number(digits);
    if (intensityPercent > 100) throw new ReplyFormatError(`channel ${letter} intensity ${digits} is above 100`);
    const index = PE4000_CHANNEL_LETTERS.indexOf(letter as ChannelLetter);
    if (index < 0) continue;
    statuses.push({ index, letter: letter as ChannelLetter, selected: selection === 'S', on: onOff === 'N', intensityPercent });
  }
  const letters = statuses.map((s) => s.letter).join('');
  if (letters !== 'ABCD') throw new ReplyFormatError(`status lists channels ${letters || 'none'}, expected A, B, C and D in order`);
  return statuses;
}

export function formatStatusBlock(status: Omit<Pe4000ChannelStatus, 'index'>): string {
  return `${status.letter}${status.selected ? 'S' : 'X'}${status.on ? 'N' : 'F'}${String(status.intensityPercent).padStart(3, '0')}`;
}

function command<T>(
  text: string,
  replyLineCount: number,
  accepts: (line: string, index: number) => boolean,
  parse: (lines: readonly string[]) => T,
): LineCommand<T> {
  return { text, replyLineCount, accepts, parse, isRefusal: (line) => REFUSAL.test(line) };
}

/**
 * Commands that change channel state answer with the full status line. `reflects` tells this command's answer from
 * an earlier status line that arrived late (a device that answers C<x>S, a pod broadcast): that one shows the state
 * before the command and is handled as a broadcast, not taken as the answer.
 */
function statusCommand(
  text: string,
  reflects: (statuses: readonly Pe4000ChannelStatus[]) => boolean = () => true,
): LineCommand<readonly Pe4000ChannelStatus[]> {
  const accepts = (line: string) => {
    if (!isStatusLine(line)) return false;
    try {
      return reflects(parseStatusLine(line));
    } catch {
      return true; // shaped like the answer but impossible: parse reports it as garbled
    }
  };
  return command(text, 1, accepts, ([line]) => parseStatusLine(line));
}

export const pe4000 = {
  /** CSS? — status of every channel. */
  status: (): LineCommand<readonly Pe4000ChannelStatus[]> => statusCommand('CSS?'),

  /** CSS<blocks> — selection, on/off and intensity of the given channels in one line. */
  setChannels: (blocks: readonly Omit<Pe4000ChannelStatus, 'index'>[]): LineCommand<readonly Pe4000ChannelStatus[]> =>
    // Only the intensity is checked: no source says the device takes selection from this line
    // (python-microscope leaves selection to the pod).
    statusCommand(`CSS${blocks.map(formatStatusBlock).join('')}`, (statuses) =>
      blocks.every((b) => statuses.find((s) => s.letter === b.letter)?.intensityPercent === b.intensityPercent),
    ),

  /** C<x>I<n> — intensity 0–100 % of one channel. */
  setIntensity: (index: number, percent: number): LineCommand<readonly Pe4000ChannelStatus[]> => {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw new RangeError(`intensity must be an integer 0–100, got ${percent}`);
    return statusCommand(`C${channelLetter(index)}I${percent}`, (statuses) => statuses[index].intensityPercent === percent);
  },

  /** C<x>? — intensity of one channel, answered as C<x><nnn>. */
  intensity: (index: number): LineCommand<number> => {
    const prefix = `C${channelLetter(index)}`;
    return command(
      `${prefix}?`,
      1,
      (line) => new RegExp(`^${prefix}\\d{3}$`).test(line),
      ([line]) => {
        const percent = Number(line.slice(2));
        if (percent > 100) throw new ReplyFormatError(`intensity ${percent} is above 100`);
        return percent;
      },
    );
  },

  /** CSN / CSF — every selected channel on, or every channel off. */
  allOn: (): LineCommand<readonly Pe4000ChannelStatus[]> => statusCommand('CSN'),
  allOff: (): LineCommand<readonly Pe4000ChannelStatus[]> => statusCommand('CSF', (statuses) => statuses.every((s) => !s.on)),

  /**
   * C<x>S / C<x>X — select or deselect one channel. The device does not answer (Micro-Manager's adapter reads
   * nothing after it); a status line that some device may send anyway arrives as a broadcast.
   */
  select: (index: number, selected: boolean): LineCommand<void> =>
    command(
      `C${channelLetter(index)}${selected ? 'S' : 'X'}`,
      0,
      () => false,
      () => undefined,
    ),

  /** LAMS — the wavelength loaded in each channel. */
  wavelengths: (): LineCommand<readonly number[]> =>
    command(
      'LAMS',
      4,
      (line, i) => LAM_LINE.exec(line)?.[1] === PE4000_CHANNEL_LETTERS[i],
      (lines) => lines.map((line, i) => checkedWavelength(i, Number(LAM_LINE.exec(line)?.[2]))),
    ),

  /** LOAD:<nm> — load a wavelength into the channel that carries it; answered with that channel's LAM line. */
  loadWavelength: (index: number, nm: number): LineCommand<number> => {
    const letter = channelLetter(index);
    if (!PE4000_WAVELENGTHS_NM[index].includes(nm)) {
      throw new RangeError(`channel ${letter} carries ${PE4000_WAVELENGTHS_NM[index].join(', ')} nm, not ${nm}`);
    }
    return command(
      `LOAD:${nm}`,
      1,
      (line) => LAM_LINE.exec(line)?.[1] === letter,
      ([line]) => {
        const loaded = checkedWavelength(index, Number(LAM_LINE.exec(line)?.[2]));
        if (loaded !== nm) throw new ReplyFormatError(`asked for ${nm} nm, channel ${letter} reports ${loaded} nm`);
        return loaded;
      },
    );
  },

  /** XMODEL — the model name, e.g. "pE-4000". */
  model: (): LineCommand<string> =>
    command(
      'XMODEL',
      1,
      (line) => line.startsWith('XMODEL:'),
      ([line]) => line.slice(7).trim(),
    ),

  /** XVER — eight lines: mainboard, hardware, data, pod, then backends A–D. */
  versions: (): LineCommand<Pe4000Versions> =>
    command(
      'XVER',
      VERSION_LABELS.length,
      (line, i) => line.startsWith(`XVER:${VERSION_LABELS[i]}=`),
      (lines) => {
        const v = lines.map((line, i) => line.slice(`XVER:${VERSION_LABELS[i]}=`.length).trim());
        if (v.some((s) => s.length === 0)) throw new ReplyFormatError('an XVER line carries no version');
        return { mainboard: v[0], hardware: v[1], data: v[2], pod: v[3], backends: v.slice(4) };
      },
    ),

  /** PORT:P=ON / PORT:P=OFF — control pod usable, or locked out. */
  podEnabled: (enabled: boolean): LineCommand<boolean> => {
    const text = `PORT:P=${enabled ? 'ON' : 'OFF'}`;
    return command(
      text,
      1,
      (line) => line === text,
      () => enabled,
    );
  },
};

function checkedWavelength(index: number, nm: number): number {
  if (!PE4000_WAVELENGTHS_NM[index]?.includes(nm)) {
    throw new ReplyFormatError(`channel ${PE4000_CHANNEL_LETTERS[index]} cannot carry ${nm} nm`);
  }
  return nm;
}
