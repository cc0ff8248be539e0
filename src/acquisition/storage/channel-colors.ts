/** What may be known about a channel's light besides its name (from the service's configuration). */
export interface ChannelLight {
  /** Display colour, RRGGBB (a leading # is allowed). */
  readonly color?: string;
  readonly emissionNm?: number;
  readonly excitationNm?: number;
}

/** Emission peaks of dyes and proteins a channel preset is usually named after, nm. */
const DYE_EMISSION_NM: readonly (readonly [RegExp, number])[] = [
  [/dapi|hoechst|bfp/i, 461],
  [/cfp|cyan/i, 475],
  [/fitc|gfp|cy\s*2|alexa\s*(fluor\s*)?488|yfp/i, 515],
  [/cy\s*3(?![.\d])|tritc|rhodamine|tdtomato|dsred|orange/i, 575],
  // before plain "red": "far red" is not red
  [/cy\s*5|cy\s*7|far\s*red|alexa\s*(fluor\s*)?6\d\d/i, 670],
  [/rfp|mcherry|texas\s*red|alexa\s*(fluor\s*)?594|red/i, 610],
];

const TRANSMITTED = /bright\s*field|\bbf\b|dic|phase|trans/i;
/** A stand-in for the unknown emission of a dye excited at a laser line named in the preset (typical Stokes shift). */
const STOKES_SHIFT_NM = 20;
/** Colours for channels nothing is known about, by index. */
const PALETTE = ['00FF00', 'FF00FF', '00FFFF', 'FF0000', '0000FF', 'FFFF00', 'FFFFFF'];

/** The display colour microscopists give light of this wavelength: far red shown magenta, apart from red. */
export function wavelengthColor(nm: number): string {
  if (nm < 490) return '0000FF';
  if (nm < 550) return '00FF00';
  if (nm < 590) return 'FF8000';
  if (nm < 650) return 'FF0000';
  return 'FF00FF';
}

/** A wavelength written in the preset's name ("488", "Laser 561nm"), read as the excitation line. */
function wavelengthInName(name: string): number | undefined {
  const numbers = name.match(/\d{3}/g)?.map(Number) ?? [];
  return numbers.find((nm) => nm >= 350 && nm <= 800);
}

/**
 * A channel's display colour (RRGGBB): the configured colour, else from its configured emission or excitation
 * wavelength, else from its name (dye, protein or wavelength), else the palette by index.
 */
export function channelColor(name: string, light: ChannelLight, index: number): string {
  if (light.color) return light.color.replace(/^#/, '').toUpperCase();
  if (light.emissionNm !== undefined) return wavelengthColor(light.emissionNm);
  if (light.excitationNm !== undefined) return wavelengthColor(light.excitationNm + STOKES_SHIFT_NM);
  const dye = DYE_EMISSION_NM.find(([pattern]) => pattern.test(name));
  if (dye) return wavelengthColor(dye[1]);
  const lineNm = wavelengthInName(name);
  if (lineNm !== undefined) return wavelengthColor(lineNm + STOKES_SHIFT_NM);
  if (TRANSMITTED.test(name)) return 'FFFFFF';
  return PALETTE[index % PALETTE.length];
}

/** OME's Color: RGBA packed into a signed 32-bit integer, opaque. */
export function omeColor(rrggbb: string): number {
  return (parseInt(rrggbb, 16) << 8) | 0xff | 0;
}
