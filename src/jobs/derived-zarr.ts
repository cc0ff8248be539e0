import { endianness } from 'node:os';
import { validateLayout } from '../acquisition/storage/dataset-layout';
import { ngffImage } from '../acquisition/storage/zarr/ngff-metadata';
import type { JobStorage } from './job-storage';

/** Outputs named *.zarr are written as a derived OME-Zarr (NGFF 0.4, zarr v2); any other name as OME-TIFF. */
export const isZarrOutput = (key: string): boolean => /\.zarr$/i.test(key);

/**
 * The key of plane `plane` of a derived image: array "0", the planes along t in the raw data set's order, one plane
 * per chunk, uncompressed float32. Its bytes depend on the pixels alone, so a chunk computed twice puts the same object.
 */
export const derivedPlaneKey = (image: string, plane: number): string => `${image}/0/${plane}/0/0/0/0`;

export async function putDerivedPlane(storage: JobStorage, image: string, plane: number, pixels: Float32Array): Promise<void> {
  let bytes = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  if (endianness() !== 'LE') {
    bytes = Buffer.alloc(pixels.byteLength);
    pixels.forEach((value, i) => bytes.writeFloatLE(value, 4 * i));
  }
  await storage.put(derivedPlaneKey(image, plane), bytes);
}

export interface DerivedImage {
  readonly name: string;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly planes: number;
  readonly pixelSizeUm: number;
  readonly channelName: string;
  /** What the image is, from which raw data, by which model. */
  readonly description: string;
  readonly derivedFrom?: { readonly path: string; readonly uuid: string };
  /** More of the job's account of the image, kept under "scope" in .zattrs. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The metadata of one derived image (its planes put before): .zgroup, .zattrs with NGFF multiscales, omero and our
 * account, and the array's .zarray. Planes never put (a failed chunk) read as NaN, the array's fill value.
 */
export async function putDerivedImage(storage: JobStorage, key: string, image: DerivedImage): Promise<void> {
  const layout = validateLayout(
    {
      sizes: { t: image.planes, c: 1, z: 1 },
      dtype: 'float32',
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      pixelSizeUm: image.pixelSizeUm,
      channelNames: [image.channelName],
      channelColors: ['FFFFFF'],
    },
    key,
  );
  const { multiscales, omero } = ngffImage(image.name, { t: image.planes, c: 1, z: 1 }, layout);
  await storage.put(`${key}/0/.zarray`, json(derivedZarray(image)));
  await storage.put(`${key}/.zgroup`, json({ zarr_format: 2 }));
  await storage.put(
    `${key}/.zattrs`,
    json({
      multiscales: multiscales.map((m) => ({ version: '0.4', ...m })),
      omero: { version: '0.4', ...omero },
      scope: { kind: 'derived', description: image.description, derivedFrom: image.derivedFrom ?? null, ...image.extra },
    }),
  );
}

function derivedZarray(image: DerivedImage): object {
  return {
    zarr_format: 2,
    shape: [image.planes, 1, 1, image.heightPx, image.widthPx],
    chunks: [1, 1, 1, image.heightPx, image.widthPx],
    dtype: '<f4',
    compressor: null,
    fill_value: 'NaN',
    order: 'C',
    filters: null,
    dimension_separator: '/',
  };
}

/** A store of several derived images (Deep-STORM's density and its SQUIRREL error map): bioformats2raw layout, images 0, 1, … */
export async function putDerivedSeries(storage: JobStorage, key: string, images: readonly DerivedImage[]): Promise<void> {
  for (const [i, image] of images.entries()) await putDerivedImage(storage, `${key}/${i}`, image);
  await storage.put(`${key}/OME/.zgroup`, json({ zarr_format: 2 }));
  await storage.put(`${key}/OME/.zattrs`, json({ series: images.map((_, i) => String(i)) }));
  await storage.put(`${key}/.zgroup`, json({ zarr_format: 2 }));
  await storage.put(`${key}/.zattrs`, json({ 'bioformats2raw.layout': 3 }));
}
