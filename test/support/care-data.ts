import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { storageStackIo } from '../../src/models/io/storage-stack-io';

/** Writes one single-plane TIFF with the project's writer (float32 keeps NaN, uint16 what a camera gives). */
export async function writePlane(path: string, pixels: Float32Array | Uint16Array, widthPx: number, heightPx: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const writer = await storageStackIo.createStack(path, {
    widthPx,
    heightPx,
    planeCount: 1,
    sampleType: pixels instanceof Float32Array ? 'float32' : 'uint16',
    description: 'test data',
  });
  await writer.writePlane(pixels);
  await writer.close();
}

/** A frame with some structure: a ramp with a bright square. */
export function structured(widthPx: number, heightPx: number, scale = 1): Float32Array {
  return Float32Array.from({ length: widthPx * heightPx }, (_, i) => {
    const x = i % widthPx;
    const y = Math.floor(i / widthPx);
    return scale * (10 + x + (x > 10 && x < 20 && y > 10 && y < 20 ? 100 : 0));
  });
}
