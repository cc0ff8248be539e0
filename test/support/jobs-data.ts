import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BlinkingMovie } from '../../simulators/sample/blinking';
import { openTiffStack } from '../../src/acquisition/storage';
import { TiffSource } from '../../src/acquisition/storage/tiff/tiff-structure';
import { readOmeZarr } from '../../src/acquisition/storage/zarr/read-ome-zarr';
import { storageStackIo } from '../../src/models/io/storage-stack-io';
import { structured } from './care-data';

const STRIP_OFFSETS = 273;

/** A simulated blinking-emitter movie (100 nm pixels) as a uint16 OME-TIFF, the input of storm jobs. */
export async function writeBlinkingMovie(path: string, sidePx: number, frames: number, seed = 7): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const movie = new BlinkingMovie({ seed, widthPx: sidePx, heightPx: sidePx, densityPerUm2: 1, camera: { pixelSizeUm: 0.1 } });
  const writer = await storageStackIo.createStack(path, {
    widthPx: sidePx,
    heightPx: sidePx,
    planeCount: frames,
    sampleType: 'uint16',
    pixelSizeUm: 0.1,
    description: 'simulated blinking emitters',
  });
  for (const frame of movie.take(frames)) await writer.writePlane(frame.pixels);
  await writer.close();
}

/** Noisy structured planes (a ramp and a square, Poisson-like noise from a fixed seed) as a float32 OME-TIFF. */
export async function writeNoisyPlanes(path: string, sidePx: number, planes: number, seed = 11): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const writer = await storageStackIo.createStack(path, {
    widthPx: sidePx,
    heightPx: sidePx,
    planeCount: planes,
    sampleType: 'float32',
    description: 'noisy planes',
  });
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let p = 0; p < planes; p++) {
    const clean = structured(sidePx, sidePx, 1 + p / planes);
    await writer.writePlane(Float32Array.from(clean, (v) => v + Math.sqrt(v) * (uniform() + uniform() + uniform() - 1.5) * 2));
  }
  await writer.close();
}

/** Points plane `plane`'s pixel data beyond the end of the file: the stack opens, that one plane cannot be read. */
export async function corruptPlane(path: string, plane: number): Promise<void> {
  const source = await TiffSource.open(path, 'r+');
  try {
    const { ifds } = await source.walkIfds();
    const entry = ifds[plane]?.entries.get(STRIP_OFFSETS);
    if (!entry || entry.count !== 1) throw new Error(`${path}: plane ${plane} has no single strip offset to corrupt`);
    const valueAt = entry.entryCountOffset + (source.bigTiff ? 8 : 4);
    const beyond = Buffer.alloc(source.bigTiff ? 8 : 4);
    if (source.bigTiff) beyond.writeBigUInt64LE(BigInt(source.fileSize) * 4n);
    else beyond.writeUInt32LE(Math.min(0xffffffff, source.fileSize * 4));
    await source.handle.write(beyond, 0, beyond.length, valueAt);
  } finally {
    await source.handle.close();
  }
}

/** A job's output planes in order: image 0 of a derived OME-Zarr (a store or one of its images; t = plane), or an OME-TIFF's pages. */
export async function jobOutputPlanes(path: string): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  if ((await stat(path)).isDirectory()) {
    const [image] = (await readOmeZarr(path)).images;
    for (let t = 0; t < image.shape[0]; t++) out.push(Float32Array.from(await image.readPlane(t, 0, 0)));
    return out;
  }
  const stack = await openTiffStack(path);
  try {
    for (let p = 0; p < stack.planeCount; p++) out.push(Float32Array.from(await stack.readPlane(p)));
    return out;
  } finally {
    await stack.close();
  }
}
