import { Random } from '../random';

/** A labelled structure's binding sites, nm in the field's frame (origin at the field's top-left corner). */
export interface BindingSites {
  readonly xNm: Float64Array;
  readonly yNm: Float64Array;
  readonly zNm: Float64Array;
}

export type StructureSpec =
  /** Worm-like filaments (microtubule-like) crossing the field. */
  | { readonly kind: 'filaments'; readonly count: number; readonly persistenceLengthUm?: number }
  /** Spherical vesicles whose labelled shell projects to rings. */
  | { readonly kind: 'vesicles'; readonly count: number; readonly minRadiusNm?: number; readonly maxRadiusNm?: number }
  /** Sites spread uniformly over the field (no structure). */
  | { readonly kind: 'uniform' };

export interface FieldSize {
  readonly widthNm: number;
  readonly heightNm: number;
  /** Axial range of sites, ±nm around focus; used for astigmatic 3-D data. */
  readonly zRangeNm: number;
}

/** Path points of one worm-like filament, nm, sampled every `stepNm`. */
function filamentPath(random: Random, field: FieldSize, persistenceNm: number, stepNm: number): Array<[number, number]> {
  // Start on a random point and walk both ways, so filaments cross the field instead of starting at its edge.
  const x0 = random.range(0, field.widthNm);
  const y0 = random.range(0, field.heightNm);
  const heading0 = random.range(0, 2 * Math.PI);
  const angleStd = Math.sqrt(stepNm / persistenceNm);
  const margin = 500;
  const inside = (x: number, y: number) => x > -margin && y > -margin && x < field.widthNm + margin && y < field.heightNm + margin;
  const walk = (heading: number): Array<[number, number]> => {
    const points: Array<[number, number]> = [];
    let x = x0;
    let y = y0;
    let angle = heading;
    const maxSteps = Math.ceil((4 * (field.widthNm + field.heightNm)) / stepNm);
    for (let i = 0; i < maxSteps && inside(x, y); i++) {
      angle += angleStd * random.normal();
      x += stepNm * Math.cos(angle);
      y += stepNm * Math.sin(angle);
      points.push([x, y]);
    }
    return points;
  };
  return [...walk(heading0 + Math.PI).reverse(), [x0, y0], ...walk(heading0)];
}

function filamentSites(
  random: Random,
  spec: { count: number; persistenceLengthUm?: number },
  field: FieldSize,
  sitesPerUm: number,
  out: number[][],
): void {
  const stepNm = 5;
  const persistenceNm = (spec.persistenceLengthUm ?? 5) * 1000;
  for (let f = 0; f < spec.count; f++) {
    const path = filamentPath(random, field, persistenceNm, stepNm);
    const z = random.range(-field.zRangeNm, field.zRangeNm);
    // Sites are Poisson-distributed along the filament, with a small transverse scatter (antibody linkage).
    const expected = (sitesPerUm * stepNm) / 1000;
    for (const [x, y] of path) {
      const n = random.poisson(expected);
      for (let k = 0; k < n; k++) out.push([x + 8 * random.normal(), y + 8 * random.normal(), z + 8 * random.normal()]);
    }
  }
}

function vesicleSites(
  random: Random,
  spec: { count: number; minRadiusNm?: number; maxRadiusNm?: number },
  field: FieldSize,
  sitesPerUm2: number,
  out: number[][],
): void {
  const minR = spec.minRadiusNm ?? 60;
  const maxR = spec.maxRadiusNm ?? 250;
  for (let v = 0; v < spec.count; v++) {
    const r = random.range(minR, maxR);
    const cx = random.range(0, field.widthNm);
    const cy = random.range(0, field.heightNm);
    const cz = random.range(-field.zRangeNm, field.zRangeNm);
    const n = random.poisson(((4 * Math.PI * r * r) / 1e6) * sitesPerUm2);
    for (let k = 0; k < n; k++) {
      // Uniform on the sphere: z uniform in [-1, 1], azimuth uniform.
      const u = random.range(-1, 1);
      const phi = random.range(0, 2 * Math.PI);
      const s = Math.sqrt(1 - u * u);
      out.push([cx + r * s * Math.cos(phi), cy + r * s * Math.sin(phi), cz + r * u]);
    }
  }
}

/**
 * Binding sites of the structures. `minimumSites` keeps a sparse labelling from running out of sites when a
 * high density of active emitters is asked for: the labelling density is raised until the structures hold at
 * least that many sites inside the field.
 */
export function makeBindingSites(seed: number, specs: readonly StructureSpec[], field: FieldSize, minimumSites: number): BindingSites {
  let sitesPerUm = 400;
  for (let attempt = 0; ; attempt++) {
    const random = new Random(seed);
    const all: number[][] = [];
    for (const spec of specs) {
      if (spec.kind === 'filaments') filamentSites(random, spec, field, sitesPerUm, all);
      else if (spec.kind === 'vesicles') vesicleSites(random, spec, field, sitesPerUm * 4, all);
      else {
        const n = Math.max(minimumSites, Math.round((field.widthNm * field.heightNm) / 1e6) * 200);
        for (let k = 0; k < n; k++) {
          all.push([random.range(0, field.widthNm), random.range(0, field.heightNm), random.range(-field.zRangeNm, field.zRangeNm)]);
        }
      }
    }
    const inField = all.filter(([x, y]) => x >= 0 && y >= 0 && x < field.widthNm && y < field.heightNm);
    if (inField.length >= minimumSites || attempt >= 8) {
      return {
        xNm: Float64Array.from(inField, (p) => p[0]),
        yNm: Float64Array.from(inField, (p) => p[1]),
        zNm: Float64Array.from(inField, (p) => p[2]),
      };
    }
    sitesPerUm *= 2;
  }
}
