/**
 * The light reaching the sample. Each SimulatedLight LED emits Intensity % × MaxPower_mW while its State is 1;
 * its light passes when the core's shutter is open, or directly when the LED itself is the core's shutter.
 * A configuration without an LED has a fixed lamp behind the core's shutter.
 */
import type { SimCore } from './sim-core';

export interface Illumination {
  readonly powerMw: number;
  readonly excitationNm: number;
  readonly emissionNm: number;
}

/** Emission peaks of the dyes a 385/470/555/640 nm LED engine excites (DAPI, GFP/FITC, TRITC, Cy5). */
const EMISSION_BY_EXCITATION: ReadonlyArray<readonly [number, number]> = [
  [385, 460],
  [470, 525],
  [555, 590],
  [640, 670],
];

export function emissionFor(excitationNm: number): number {
  const nearest = EMISSION_BY_EXCITATION.reduce((best, pair) =>
    Math.abs(pair[0] - excitationNm) < Math.abs(best[0] - excitationNm) ? pair : best,
  );
  return nearest[1] + (excitationNm - nearest[0]);
}

export interface LightPathOptions {
  /** Power of the fixed lamp of a configuration without an LED, mW. */
  readonly lampPowerMw?: number;
  /**
   * Light from a source outside Micro-Manager (the emulated serial LED engine), read at every exposure: the sample
   * receives what that source emits while the core's shutter lets it through.
   */
  readonly externalLight?: () => { readonly powerMw: number; readonly wavelengthNm: number | null };
}

export class LightPath {
  constructor(
    private readonly core: SimCore,
    private readonly options: LightPathOptions = {},
  ) {}

  isShutterOpen(label: string): boolean {
    return label !== '' && this.core.device(label).properties.get('State')?.value === '1';
  }

  illumination(): Illumination {
    const coreShutter = this.core.role('Shutter');
    const gateOpen = (ledLabel: string) => coreShutter === '' || coreShutter === ledLabel || this.isShutterOpen(coreShutter);
    const external = this.options.externalLight;
    if (external) {
      const light = external();
      const excitationNm = light.wavelengthNm ?? 470;
      return { powerMw: gateOpen('') ? light.powerMw : 0, excitationNm, emissionNm: emissionFor(excitationNm) };
    }
    const leds = [...this.core.devices.values()].filter((d) => d.library === 'SimulatedLight');
    if (leds.length === 0) {
      const powerMw = this.isShutterOpen(coreShutter) ? (this.options.lampPowerMw ?? 10) : 0;
      return { powerMw, excitationNm: 488, emissionNm: 525 };
    }
    let powerMw = 0;
    let brightest = { powerMw: -1, excitationNm: 470 };
    for (const led of leds) {
      const lit = led.get('State') === '1' && gateOpen(led.label);
      const ledPowerMw = lit ? (led.number('Intensity') / 100) * led.number('MaxPower_mW') : 0;
      powerMw += ledPowerMw;
      if (ledPowerMw > brightest.powerMw) brightest = { powerMw: ledPowerMw, excitationNm: led.number('Wavelength') };
    }
    return { powerMw, excitationNm: brightest.excitationNm, emissionNm: emissionFor(brightest.excitationNm) };
  }
}
