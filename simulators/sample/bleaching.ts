/**
 * Photobleaching memory: the illumination dose (mW·s) each patch of the dish has received, on a grid of square
 * patches. A patch keeps the fraction 2^(−dose / halfDose) = exp(−ln2 · dose / halfDose) of its fluorophores.
 *
 * Dose is the illumination power reaching the sample times the time it shines, credited to every patch inside the
 * imaged field in proportion to the patch area the field covers. Per-area irradiance is not modelled: the same mW
 * bleach the same whatever the field size, which keeps the knob (halfDoseMwS) directly readable.
 */

export interface FieldRect {
  /** Sample coordinates of the field's corners, µm. */
  readonly x0Um: number;
  readonly y0Um: number;
  readonly x1Um: number;
  readonly y1Um: number;
}

export class BleachMap {
  private readonly dose: Float64Array;
  private readonly patches: number;
  private readonly originUm: number;
  /** Increases whenever the remaining fractions change, so renders can tell whether cached factors are stale. */
  version = 0;

  constructor(
    /** Side of the square area tracked, centred on the dish centre, µm; outside it the edge patches stand in. */
    areaUm: number,
    readonly patchUm: number,
    readonly halfDoseMwS: number,
  ) {
    this.patches = Math.max(1, Math.ceil(areaUm / patchUm));
    this.originUm = -(this.patches * patchUm) / 2;
    this.dose = new Float64Array(this.patches * this.patches);
  }

  /** Patch index (row or column) holding a coordinate, clamped to the grid. */
  patchIndex(positionUm: number): number {
    const index = Math.floor((positionUm - this.originUm) / this.patchUm);
    return index < 0 ? 0 : index >= this.patches ? this.patches - 1 : index;
  }

  doseAt(xUm: number, yUm: number): number {
    return this.dose[this.patchIndex(yUm) * this.patches + this.patchIndex(xUm)];
  }

  remainingAt(xUm: number, yUm: number): number {
    return this.remaining(this.doseAt(xUm, yUm));
  }

  remaining(doseMwS: number): number {
    return Number.isFinite(this.halfDoseMwS) ? Math.pow(2, -doseMwS / this.halfDoseMwS) : 1;
  }

  /**
   * Mean fluorescence over an exposure that adds `addedMwS` to a patch already at `doseMwS`, relative to unbleached:
   * the fluorophores fade during the exposure, so a frame sees the average of 2^(−D/H) over the added dose.
   */
  meanRemainingDuring(doseMwS: number, addedMwS: number): number {
    const start = this.remaining(doseMwS);
    if (!Number.isFinite(this.halfDoseMwS) || addedMwS <= 0) return start;
    const halvings = addedMwS / this.halfDoseMwS;
    // (1 − 2^−x) / (x ln2), written with expm1 so that tiny doses keep their precision.
    return (start * -Math.expm1(-halvings * Math.LN2)) / (halvings * Math.LN2);
  }

  /** Credits `doseMwS` to the field, each patch in proportion to the part of it the field covers. */
  addDose(field: FieldRect, doseMwS: number): void {
    if (!(doseMwS > 0)) return;
    const rows = this.coverage(field.y0Um, field.y1Um);
    const columns = this.coverage(field.x0Um, field.x1Um);
    for (const [row, rowShare] of rows) {
      for (const [column, columnShare] of columns) this.dose[row * this.patches + column] += doseMwS * rowShare * columnShare;
    }
    if (Number.isFinite(this.halfDoseMwS)) this.version++;
  }

  /**
   * Per-pixel bleaching factors of a frame are constant over patches; this gives the patch of every pixel row or
   * column of a field that starts at `startUm` with pixels of `pixelUm`.
   */
  patchIndexes(startUm: number, pixels: number, pixelUm: number): Int32Array {
    const indexes = new Int32Array(pixels);
    for (let i = 0; i < pixels; i++) indexes[i] = this.patchIndex(startUm + (i + 0.5) * pixelUm);
    return indexes;
  }

  /** Patch dose by (row, column) index. */
  doseOfPatch(row: number, column: number): number {
    return this.dose[row * this.patches + column];
  }

  /** The patches a segment [fromUm, toUm) touches along one axis, with the fraction of each it covers. */
  private coverage(fromUm: number, toUm: number): Array<[number, number]> {
    const shares = new Map<number, number>();
    const first = Math.floor((fromUm - this.originUm) / this.patchUm);
    const last = Math.floor((toUm - this.originUm - 1e-9) / this.patchUm);
    for (let i = first; i <= last; i++) {
      const lowUm = Math.max(fromUm, this.originUm + i * this.patchUm);
      const highUm = Math.min(toUm, this.originUm + (i + 1) * this.patchUm);
      if (highUm <= lowUm) continue;
      const clamped = i < 0 ? 0 : i >= this.patches ? this.patches - 1 : i;
      shares.set(clamped, (shares.get(clamped) ?? 0) + (highUm - lowUm) / this.patchUm);
    }
    return [...shares];
  }
}
