import type { PixelArray } from '../../../hardware/devices';
import type { Frame, FrameMetadata } from '../../frame';
import type { SampleType } from '../dataset-layout';

export interface SyntheticPlane {
  readonly t: number;
  readonly c: number;
  readonly z: number;
  readonly p?: number;
}

/** Deterministic pixels for a plane: every plane differs, so a misplaced plane fails a pixel-exact comparison. */
export function syntheticPixels(dtype: SampleType, widthPx: number, heightPx: number, seed: number): PixelArray {
  const count = widthPx * heightPx;
  const pixels = dtype === 'uint8' ? new Uint8Array(count) : dtype === 'uint16' ? new Uint16Array(count) : new Float32Array(count);
  let state = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    pixels[i] = dtype === 'float32' ? (state / 2 ** 32) * 1000 - 100 : state >>> (dtype === 'uint8' ? 24 : 16);
  }
  return pixels;
}

/** A frame as the acquisition engine would emit it, for plane (t, c, z, p) of a synthetic acquisition. */
export function syntheticFrame(
  plane: SyntheticPlane,
  sequence: number,
  options: { dtype: SampleType; widthPx: number; heightPx: number; channelNames?: readonly string[]; startMs?: number },
): Frame {
  const { dtype, widthPx, heightPx } = options;
  const meta: FrameMetadata = {
    acquisitionId: 'test-acquisition',
    sequence,
    index: { t: plane.t, c: plane.c, z: plane.z, p: plane.p ?? 0 },
    width: widthPx,
    height: heightPx,
    bitDepth: dtype === 'uint8' ? 8 : dtype === 'uint16' ? 12 : 32,
    pixelSizeUm: 0.108,
    exposureMs: 10 + plane.c * 5,
    channel: { group: 'Channel', config: options.channelNames?.[plane.c] ?? `C${plane.c}` },
    stage: { xUm: 100.5 + (plane.p ?? 0) * 1000, yUm: -20.25, zUm: 5 + plane.z * 0.5 },
    camera: 'Camera',
    wallTimeMs: (options.startMs ?? 1_700_000_000_000) + sequence * 37.5,
    positionName: `Pos${plane.p ?? 0}`,
    tags: { Binning: '1', 'Camera-Gain': 2, note: 'µ-manager ✓' },
  };
  return { pixels: syntheticPixels(dtype, widthPx, heightPx, sequence + 1), meta };
}

/** Planes of a T×C×Z acquisition in loop order t (outer), c, z (inner), like useq's default "tpgcz". */
export function* tczPlanes(sizes: { t: number; c: number; z: number; p?: number }): Generator<SyntheticPlane> {
  for (let t = 0; t < sizes.t; t++) {
    for (let p = 0; p < (sizes.p ?? 1); p++) {
      for (let c = 0; c < sizes.c; c++) for (let z = 0; z < sizes.z; z++) yield { t, c, z, p };
    }
  }
}
