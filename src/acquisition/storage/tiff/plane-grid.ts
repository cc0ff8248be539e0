import type { PlaneRecord } from '../plane-record';
import { planeKey } from '../plane-record';
import type { TiffDataRun } from '../ome-xml/build-ome-xml';

/** A plane as stored in a TIFF file: its IFD's place in the chain and its record. */
export interface StoredPlane {
  readonly ifdIndex: number;
  readonly record: PlaneRecord;
  /**
   * The plane's OME Plane element, rendered when it was written; its record then keeps only its place (the full
   * record is in its IFD), so a long run's memory holds a short string per plane, not its metadata.
   */
  readonly planeXml?: string;
}

export interface GridSizes {
  readonly t: number;
  readonly c: number;
  readonly z: number;
}

/** The real extent of what was written: one past the largest index on each axis. */
export function writtenSizes(planes: readonly StoredPlane[]): GridSizes {
  let t = 0;
  let c = 0;
  let z = 0;
  for (const { record } of planes) {
    t = Math.max(t, record.t + 1);
    c = Math.max(c, record.c + 1);
    z = Math.max(z, record.z + 1);
  }
  return { t: Math.max(t, 1), c: Math.max(c, 1), z: Math.max(z, 1) };
}

/** One plane per grid cell, the last written winning (a re-acquired plane replaces the earlier one); IFD order. */
export function planesInUse(planes: readonly StoredPlane[]): StoredPlane[] {
  const byCell = new Map<string, StoredPlane>();
  for (const plane of planes) byCell.set(planeKey(plane.record), plane);
  return [...byCell.values()].sort((a, b) => a.ifdIndex - b.ifdIndex);
}

/** Position of a plane in OME's linear plane order for `dimensionOrder` (e.g. XYZCT: z fastest, then c, then t). */
export function linearPlaneIndex(plane: GridSizes, sizes: GridSizes, dimensionOrder: string): number {
  const axes = dimensionOrder.slice(2).toLowerCase() as string;
  let index = 0;
  for (let i = axes.length - 1; i >= 0; i--) {
    const axis = axes[i] as keyof GridSizes;
    index = index * sizes[axis] + plane[axis];
  }
  return index;
}

/** TiffData runs: consecutive IFDs holding consecutive planes merge into one element (usually one per file). */
export function tiffDataRuns(planes: readonly StoredPlane[], sizes: GridSizes, dimensionOrder: string): TiffDataRun[] {
  const runs: TiffDataRun[] = [];
  let last: { ifd: number; linear: number } | undefined;
  for (const { ifdIndex, record } of planes) {
    const linear = linearPlaneIndex(record, sizes, dimensionOrder);
    const run = runs[runs.length - 1];
    if (run && last && ifdIndex === last.ifd + 1 && linear === last.linear + 1) {
      runs[runs.length - 1] = { ...run, planeCount: run.planeCount + 1 };
    } else {
      runs.push({ ifd: ifdIndex, planeCount: 1, firstT: record.t, firstC: record.c, firstZ: record.z });
    }
    last = { ifd: ifdIndex, linear };
  }
  return runs;
}

/** Grid cells no plane was written to, in DimensionOrder. */
export function missingCells(planes: readonly StoredPlane[], sizes: GridSizes, dimensionOrder: string): GridSizes[] {
  const present = new Set(planes.map(({ record }) => planeKey(record)));
  const cells: GridSizes[] = [];
  for (let t = 0; t < sizes.t; t++) {
    for (let c = 0; c < sizes.c; c++) {
      for (let z = 0; z < sizes.z; z++) if (!present.has(planeKey({ t, c, z }))) cells.push({ t, c, z });
    }
  }
  return cells.sort((a, b) => linearPlaneIndex(a, sizes, dimensionOrder) - linearPlaneIndex(b, sizes, dimensionOrder));
}
