import { z } from 'zod';
import type { PixelArray } from '../../hardware/devices';
import type { Frame } from '../frame';
import { channelColor } from './channel-colors';
import { DatasetLayoutError, FrameLayoutMismatchError } from './storage-errors';

export type SampleType = 'uint8' | 'uint16' | 'float32';

/** The raw data set a processed data set (denoised, super-resolved) was computed from. */
export interface DerivedFromLink {
  readonly path: string;
  /** The source data set's UUID (`urn:uuid:…` or the bare UUID). */
  readonly uuid: string;
}

const positiveInt = z.number().int().positive();

const layoutSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Acquisition loop order, outermost first, in useq-schema letters; only t, p, g, c, z matter here. */
    axisOrder: z
      .string()
      .regex(/^[tpgcz]+$/, 'only the letters t, p, g, c, z')
      .refine((order) => new Set(order).size === order.length && ['t', 'c', 'z'].every((axis) => order.includes(axis)), {
        message: 'each letter once, t, c and z present',
      })
      .default('tpgcz'),
    sizes: z.object({ t: positiveInt, p: positiveInt.default(1), g: positiveInt.default(1), c: positiveInt, z: positiveInt }).strict(),
    dtype: z.enum(['uint8', 'uint16', 'float32']),
    widthPx: positiveInt,
    heightPx: positiveInt,
    channelNames: z.array(z.string().min(1)).optional(),
    /** Display colours, RRGGBB; by default from each channel's name (`channelColor`). */
    channelColors: z.array(z.string().regex(/^[0-9A-Fa-f]{6}$/, 'RRGGBB')).optional(),
    pixelSizeUm: z.number().positive(),
    zStepUm: z.number().positive().optional(),
    timeIntervalMs: z.number().nonnegative().optional(),
    significantBits: z.number().int().min(1).max(32).optional(),
    positionNames: z.array(z.string()).optional(),
    acquisitionId: z.string().optional(),
    description: z.string().optional(),
    derivedFrom: z
      .object({ path: z.string().min(1), uuid: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();

/** What a writer is told at open: the planned shape of the data set and what its axes mean. */
export type DatasetLayoutInput = z.input<typeof layoutSchema>;
/** A validated layout, defaults filled in. */
export type DatasetLayout = Readonly<Omit<z.output<typeof layoutSchema>, 'channelNames' | 'channelColors'>> & {
  readonly channelNames: readonly string[];
  readonly channelColors: readonly string[];
};

/** Validates a layout once, at open; every writer trusts the result. */
export function validateLayout(input: DatasetLayoutInput | DatasetLayout, where: string): DatasetLayout {
  const parsed = layoutSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(layout)'}: ${issue.message}`).join('; ');
    throw new DatasetLayoutError(`invalid data set layout for ${where}: ${issues}`);
  }
  const layout = parsed.data;
  const channelNames = layout.channelNames ?? Array.from({ length: layout.sizes.c }, (_, c) => `Channel ${c}`);
  if (channelNames.length !== layout.sizes.c) {
    throw new DatasetLayoutError(
      `invalid data set layout for ${where}: ${channelNames.length} channel names for ${layout.sizes.c} channels`,
    );
  }
  const channelColors = layout.channelColors ?? channelNames.map((name, c) => channelColor(name, {}, c));
  if (channelColors.length !== layout.sizes.c) {
    throw new DatasetLayoutError(
      `invalid data set layout for ${where}: ${channelColors.length} channel colours for ${layout.sizes.c} channels`,
    );
  }
  const positions = layout.sizes.p * layout.sizes.g;
  if (layout.positionNames && layout.positionNames.length !== positions) {
    throw new DatasetLayoutError(
      `invalid data set layout for ${where}: ${layout.positionNames.length} position names for ${positions} positions`,
    );
  }
  return { ...layout, channelNames, channelColors };
}

export const positionCount = (layout: DatasetLayout): number => layout.sizes.p * layout.sizes.g;

/** Where one frame sits in the data set: its plane (t, c, z) and its position (p and grid g flattened). */
export interface PlaneCoordinates {
  readonly t: number;
  readonly c: number;
  readonly z: number;
  readonly position: number;
}

const ARRAY_TYPE: Record<SampleType, string> = { uint8: 'Uint8Array', uint16: 'Uint16Array', float32: 'Float32Array' };

export function sampleTypeOf(pixels: PixelArray): SampleType {
  if (pixels instanceof Uint8Array) return 'uint8';
  if (pixels instanceof Uint16Array) return 'uint16';
  return 'float32';
}

export const bytesPerSample = (dtype: SampleType): number => (dtype === 'uint8' ? 1 : dtype === 'uint16' ? 2 : 4);

/** Checks a frame against the layout and says where it goes; throws FrameLayoutMismatchError when it does not fit. */
export function planeCoordinates(frame: Frame, layout: DatasetLayout, where: string): PlaneCoordinates {
  const { meta, pixels } = frame;
  const mismatch = (what: string) => new FrameLayoutMismatchError(`frame ${meta.sequence} does not fit ${where}: ${what}`);
  if (sampleTypeOf(pixels) !== layout.dtype)
    throw mismatch(`pixels are ${pixels.constructor.name}, the data set holds ${ARRAY_TYPE[layout.dtype]}`);
  if (meta.width !== layout.widthPx || meta.height !== layout.heightPx) {
    throw mismatch(`frame is ${meta.width}×${meta.height} px, the data set ${layout.widthPx}×${layout.heightPx} px`);
  }
  if (pixels.length !== layout.widthPx * layout.heightPx)
    throw mismatch(`${pixels.length} pixels for ${layout.widthPx}×${layout.heightPx}`);
  const index = (axis: string): number => {
    const value = meta.index[axis] ?? 0;
    if (!Number.isInteger(value) || value < 0) throw mismatch(`index ${axis}=${value} is not a non-negative integer`);
    return value;
  };
  const [t, c, z, p, g] = ['t', 'c', 'z', 'p', 'g'].map(index);
  const { sizes } = layout;
  // time may run past the plan (duration-based plans); the other axes name things fixed at open (channels, positions)
  if (c >= sizes.c) throw mismatch(`channel index ${c} but the layout has ${sizes.c} channels`);
  if (z >= sizes.z) throw mismatch(`z index ${z} but the layout has ${sizes.z} slices`);
  if (p >= sizes.p) throw mismatch(`position index ${p} but the layout has ${sizes.p} positions`);
  if (g >= sizes.g) throw mismatch(`grid index ${g} but the layout has ${sizes.g} grid positions`);
  return { t, c, z, position: p * sizes.g + g };
}

/**
 * OME's DimensionOrder (fastest-varying first) that matches the acquisition loop order, so planes arriving in
 * acquisition order land in IFD order and one TiffData run covers a whole position.
 */
export function dimensionOrderFor(layout: DatasetLayout): 'XYZCT' | 'XYZTC' | 'XYCZT' | 'XYCTZ' | 'XYTCZ' | 'XYTZC' {
  const outerToInner = [...layout.axisOrder].filter((axis) => axis === 't' || axis === 'c' || axis === 'z');
  return `XY${outerToInner.reverse().join('').toUpperCase()}` as ReturnType<typeof dimensionOrderFor>;
}
