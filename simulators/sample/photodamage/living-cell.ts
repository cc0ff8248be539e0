import type { Cell } from '../cells';
import { makeCells } from '../cells';
import type { Random } from '../random';
import { wavelengthWeight, type PhotodamageParams } from './photodamage-params';

export type CellCondition = 'healthy' | 'stressed' | 'dead';

/** The ground truth of one cell at one moment, for evaluation; never shown to the agent. */
export interface CellTruth {
  readonly id: number;
  readonly xUm: number;
  readonly yUm: number;
  readonly condition: CellCondition;
  /** 0 (none) … 1 (about to die); 1 for dead cells. */
  readonly stressLevel: number;
  readonly damage: number;
  /** Illumination dose the cell received, mW·s (before wavelength and rate weighting). */
  readonly doseMwS: number;
  readonly inMitosis: boolean;
  /** Fraction of its fluorophores not yet bleached. */
  readonly fluorescenceRemaining: number;
}

/**
 * One cell of the dish: where it is, how it moves, how far it is in its cycle and how much light harmed it. The
 * shape is a `Cell` drawn around the origin; `shape()` places, rounds and dims it for the current state.
 */
export class LivingCell {
  condition: CellCondition = 'healthy';
  damage = 0;
  doseMwS = 0;
  bleachDoseMwS = 0;
  /** Seconds into the current mitosis, or undefined outside one. */
  mitosisAgeS?: number;
  velocityXUmPerS = 0;
  velocityYUmPerS = 0;

  constructor(
    readonly id: number,
    private readonly template: Cell,
    public xUm: number,
    public yUm: number,
    readonly sensitivity: number,
    readonly cycleS: number,
    public cycleAgeS: number,
  ) {}

  static random(id: number, random: Random, params: PhotodamageParams, xUm: number, yUm: number, cycleAgeS?: number): LivingCell {
    const template = makeCells(random.nextUint32(), 1, 0)[0];
    const sensitivity = Math.exp(params.sensitivitySigma * random.normal());
    const cycleS = random.range(params.cycleS[0], params.cycleS[1]);
    return new LivingCell(id, template, xUm, yUm, sensitivity, cycleS, cycleAgeS ?? random.range(0, cycleS));
  }

  /** 0 below the stress threshold, rising to 1 at the death threshold; 1 when dead. */
  stressLevel(params: PhotodamageParams): number {
    if (this.condition === 'dead') return 1;
    if (this.condition === 'healthy') return 0;
    const stress = params.stressDamage / this.sensitivity;
    const death = params.deathDamage / this.sensitivity;
    return Math.min(1, Math.max(0.05, (this.damage - stress) / (death - stress)));
  }

  /** Light reaching this cell: `powerMw` at its position for `durationS`. */
  illuminate(params: PhotodamageParams, powerMw: number, wavelengthNm: number, durationS: number): void {
    if (!(powerMw > 0 && durationS > 0)) return;
    const doseMwS = powerMw * durationS;
    this.doseMwS += doseMwS;
    this.bleachDoseMwS += doseMwS;
    if (this.condition === 'dead') return;
    this.damage += wavelengthWeight(params, wavelengthNm) * doseMwS * (1 + powerMw / params.doseRateReferenceMw);
    this.updateCondition(params);
  }

  /** Time passes in the dark: repair, crawling, the cell cycle. Returns true when a mitosis completes now. */
  advance(params: PhotodamageParams, dtS: number, random: Random): boolean {
    if (this.condition === 'dead') return false;
    this.damage *= Math.exp(-dtS / params.repairTimeS);
    this.updateCondition(params);
    const stress = this.stressLevel(params);
    const inMitosis = this.mitosisAgeS !== undefined;
    // A random walk with persistence; stressed cells slow down, mitotic cells stay put.
    const persistence = Math.exp(-dtS / 600);
    const kick = params.speedUmPerS * Math.sqrt(1 - persistence * persistence);
    this.velocityXUmPerS = this.velocityXUmPerS * persistence + kick * random.normal();
    this.velocityYUmPerS = this.velocityYUmPerS * persistence + kick * random.normal();
    const mobility = inMitosis ? 0 : 1 - stress;
    this.xUm += this.velocityXUmPerS * dtS * mobility;
    this.yUm += this.velocityYUmPerS * dtS * mobility;
    // Stress arrests the cycle (a checkpoint), also mid-mitosis.
    if (this.condition !== 'healthy') return false;
    if (inMitosis) {
      this.mitosisAgeS = (this.mitosisAgeS ?? 0) + dtS;
      return this.mitosisAgeS >= params.mitosisDurationS;
    }
    this.cycleAgeS += dtS;
    if (this.cycleAgeS >= this.cycleS) this.mitosisAgeS = 0;
    return false;
  }

  /** The cell as drawn now: rounded and dimmed by stress, condensed in mitosis, shrunken when dead. */
  shape(params: PhotodamageParams, brightnessScale: number): Cell {
    const stress = this.stressLevel(params);
    const mitosis = this.mitosisAgeS !== undefined ? Math.min(1, this.mitosisAgeS / 300) : 0;
    const rounding = Math.max(stress, mitosis);
    const dead = this.condition === 'dead';
    const t = this.template;
    const meanRadius = Math.sqrt(t.radiusXUm * t.radiusYUm);
    const size = dead ? 0.55 : 1 - 0.35 * rounding;
    const radiusX = (meanRadius + (t.radiusXUm - meanRadius) * (1 - rounding)) * size;
    const radiusY = (meanRadius + (t.radiusYUm - meanRadius) * (1 - rounding)) * size;
    const bleach = Math.pow(2, -this.bleachDoseMwS / params.bleachHalfDoseMwS);
    const brightness = t.brightness * bleach * brightnessScale * (dead ? 0.35 : (1 - 0.45 * stress) * (1 + 0.9 * mitosis));
    const nucleusScale = size * (1 + 0.3 * mitosis);
    const keepFilaments = Math.round(t.filaments.length * (1 - rounding));
    const place = (x: number, y: number, scale: number) => [this.xUm + x * scale, this.yUm + y * scale] as const;
    return {
      xUm: this.xUm,
      yUm: this.yUm,
      radiusXUm: radiusX,
      radiusYUm: radiusY,
      angleRad: t.angleRad,
      brightness,
      nucleus: {
        xUm: this.xUm + t.nucleus.xUm * size,
        yUm: this.yUm + t.nucleus.yUm * size,
        radiusXUm: t.nucleus.radiusXUm * nucleusScale,
        radiusYUm: t.nucleus.radiusYUm * nucleusScale,
      },
      nucleoli:
        mitosis > 0.5 ? [] : t.nucleoli.map((n) => ({ xUm: this.xUm + n.xUm * size, yUm: this.yUm + n.yUm * size, radiusUm: n.radiusUm })),
      filaments: t.filaments.slice(0, keepFilaments).map(([x0, y0, x1, y1]) => [...place(x0, y0, size), ...place(x1, y1, size)] as const),
    };
  }

  truth(params: PhotodamageParams): CellTruth {
    return {
      id: this.id,
      xUm: this.xUm,
      yUm: this.yUm,
      condition: this.condition,
      stressLevel: this.stressLevel(params),
      damage: this.damage,
      doseMwS: this.doseMwS,
      inMitosis: this.mitosisAgeS !== undefined,
      fluorescenceRemaining: Math.pow(2, -this.bleachDoseMwS / params.bleachHalfDoseMwS),
    };
  }

  private updateCondition(params: PhotodamageParams): void {
    if (this.condition === 'dead') return;
    const stress = params.stressDamage / this.sensitivity;
    if (this.damage >= params.deathDamage / this.sensitivity) {
      this.condition = 'dead';
      this.mitosisAgeS = undefined;
    } else if (this.damage >= stress) this.condition = 'stressed';
    else if (this.condition === 'stressed' && this.damage < stress * params.recoveryFraction) this.condition = 'healthy';
  }
}
