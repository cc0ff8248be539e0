import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfigFile } from '../../simulators/micro-manager';

/** One command a simulated light source received, as the simulator records it. */
export interface RecordedLightCommand {
  readonly at: string;
  readonly device: string;
  readonly property: string;
  readonly value: string;
}

/**
 * Micro-Manager's demo configuration with channel presets that set the simulated LED's intensity, as real
 * configurations do for their light sources: LED-Dim (20 %) within the limit, LED-Max (100 %) beyond it.
 */
export function configWithLedPresets(directory: string): string {
  const file = join(directory, 'demo-with-led-presets.cfg');
  const presets = [
    'ConfigGroup,Channel,LED-Dim,LED,Intensity,20',
    'ConfigGroup,Channel,LED-Dim,LED,State,1',
    'ConfigGroup,Channel,LED-Max,LED,Intensity,100',
    'ConfigGroup,Channel,LED-Max,LED,State,1',
  ];
  writeFileSync(file, `${readFileSync(defaultConfigFile(), 'latin1')}\n${presets.join('\n')}\n`, 'latin1');
  return file;
}

export function readLightRecord(file: string): RecordedLightCommand[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecordedLightCommand);
}

/** Every recorded power command above `maxPercent`, or that was not a number at all. */
export function powerBeyond(record: readonly RecordedLightCommand[], maxPercent: number): RecordedLightCommand[] {
  return record.filter((c) => c.property === 'Intensity' && !(Number(c.value) <= maxPercent));
}

/** One command line the emulated pE-4000 read. */
interface SerialCommand {
  readonly device: 'pE-4000';
  readonly command: string;
}

/** Intensities a pE-4000 command line sets: C<x>I<nnn>, or the blocks of CSS<x><S|X><N|F><nnn>…. */
export function serialIntensities(command: string): number[] {
  const single = /^C[A-H]I(\d+)$/i.exec(command.trim());
  if (single) return [Number(single[1])];
  const css = /^CSS((?:[A-H][SX][NF]\d{3})+)$/i.exec(command.trim());
  if (css) return [...css[1].matchAll(/[A-H][SX][NF](\d{3})/gi)].map((m) => Number(m[1]));
  return [];
}

/** Recorded serial commands that set any channel above `maxPercent`. */
export function serialBeyond(file: string, maxPercent: number): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SerialCommand | RecordedLightCommand)
    .filter((entry): entry is SerialCommand => 'command' in entry)
    .filter((entry) => serialIntensities(entry.command).some((n) => !(n <= maxPercent)))
    .map((entry) => entry.command);
}
