import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PixelArray } from '../../../hardware/devices';
import { bytesPerSample, type SampleType } from '../dataset-layout';
import { parsePlaneRecord, type PlaneRecord } from '../plane-record';
import { ZarrFormatError } from '../storage-errors';
import { newPlane } from '../tiff/tiff-page';
import { PLANES_JOURNAL, sampleTypeOfZarrDtype, zarraySchema, type ScopeImageAttributes, type Zarray } from './ngff-metadata';
import { ZARR_JSON } from './v3/ngff05-metadata';
import { isZarrV3, readShardedImage, readZarrJson } from './v3/read-sharded-image';

export interface OmeZarrImageContents {
  /** The image group's directory. */
  readonly path: string;
  readonly zarrFormat: 2 | 3;
  readonly name?: string;
  /** [t, c, z, y, x] as the array metadata states it. */
  readonly shape: readonly [number, number, number, number, number];
  readonly sampleType: SampleType;
  /** The array's metadata as stored (.zarray, or zarr.json for v3). */
  readonly arrayMetadata: Zarray | Readonly<Record<string, unknown>>;
  /** The image's attributes as stored: .zattrs (multiscales, omero, scope), or zarr.json's attributes (ome, scope). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly channelNames: readonly string[];
  /** NGFF scale of dataset "0": [t, c, z, y, x]. */
  readonly scale?: readonly number[];
  readonly scope?: ScopeImageAttributes;
  /** Per-plane records from the journal (complete lines only), in write order. */
  readonly planeRecords: readonly PlaneRecord[];
  /** Whether plane (t, c, z) has a chunk on disk (else reads give the fill value). */
  hasPlane(t: number, c: number, z: number): Promise<boolean>;
  readPlane(t: number, c: number, z: number): Promise<PixelArray>;
}

export interface OmeZarrContents {
  readonly path: string;
  readonly images: readonly OmeZarrImageContents[];
}

export const multiscalesSchema = z
  .array(
    z.looseObject({
      name: z.string().optional(),
      axes: z.array(z.looseObject({ name: z.string() })).length(5),
      datasets: z
        .array(
          z.looseObject({
            path: z.string(),
            coordinateTransformations: z.array(z.looseObject({ type: z.string(), scale: z.array(z.number()).optional() })).optional(),
          }),
        )
        .min(1),
    }),
  )
  .min(1);

/** Opens an OME-Zarr store as written by `openOmeZarrWriter` (one plane per chunk, uncompressed; v2 or v3 shards). */
export async function readOmeZarr(path: string): Promise<OmeZarrContents> {
  if (await isZarrV3(path)) return { path, images: await Promise.all((await imageDirectories(path)).map(readShardedImage)) };
  const root = await readJson(join(path, '.zattrs'), path);
  if (typeof root === 'object' && root !== null && 'bioformats2raw.layout' in root) {
    const series = await readJson(join(path, 'OME', '.zattrs'), path).catch(() => undefined);
    const names = z.object({ series: z.array(z.string()) }).safeParse(series);
    const groups = names.success ? names.data.series : await numberedGroups(path);
    return { path, images: await Promise.all(groups.map((group) => readImage(join(path, group)))) };
  }
  return { path, images: [await readImage(path)] };
}

/** The image groups of a bioformats2raw-layout store (for recovery and readers). */
export async function imageDirectories(path: string): Promise<string[]> {
  if (await isZarrV3(path)) {
    const ome = ((await readZarrJson(join(path, ZARR_JSON))).attributes as { ome?: Record<string, unknown> } | undefined)?.ome;
    return ome && 'bioformats2raw.layout' in ome ? (await numberedGroups(path)).map((group) => join(path, group)) : [path];
  }
  const root = await readJson(join(path, '.zattrs'), path);
  if (typeof root === 'object' && root !== null && 'bioformats2raw.layout' in root) {
    return (await numberedGroups(path)).map((group) => join(path, group));
  }
  return [path];
}

async function numberedGroups(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => Number(a) - Number(b));
}

async function readImage(directory: string): Promise<OmeZarrImageContents> {
  const attributes = (await readJson(join(directory, '.zattrs'), directory)) as Record<string, unknown>;
  const multiscales = multiscalesSchema.safeParse(attributes.multiscales);
  if (!multiscales.success)
    throw new ZarrFormatError(`${directory}: .zattrs has no valid NGFF multiscales (${multiscales.error.issues[0]?.message})`);
  const dataset = multiscales.data[0].datasets[0];
  const arrayDirectory = join(directory, dataset.path);
  const zarrayParsed = zarraySchema.safeParse(await readJson(join(arrayDirectory, '.zarray'), directory));
  if (!zarrayParsed.success)
    throw new ZarrFormatError(`${arrayDirectory}/.zarray is not an uncompressed zarr v2 array: ${zarrayParsed.error.issues[0]?.message}`);
  const zarray = zarrayParsed.data;
  const sampleType = sampleTypeOfZarrDtype(zarray.dtype);
  if (!sampleType) throw new ZarrFormatError(`${arrayDirectory}: dtype ${zarray.dtype} is not uint8, uint16 or float32 little-endian`);
  const [, , , height, width] = zarray.shape;
  if (zarray.chunks.slice(0, 3).some((size) => size !== 1) || zarray.chunks[3] !== height || zarray.chunks[4] !== width) {
    throw new ZarrFormatError(`${arrayDirectory}: chunks ${JSON.stringify(zarray.chunks)}; this reader reads one plane per chunk`);
  }
  const separator = zarray.dimension_separator ?? '.';
  const chunkPath = (t: number, c: number, z: number) => join(arrayDirectory, [t, c, z, 0, 0].join(separator));
  const planeBytes = width * height * bytesPerSample(sampleType);
  const omero = attributes.omero as { channels?: { label?: string }[] } | undefined;
  const scope = attributes.scope as ScopeImageAttributes | undefined;
  const scale = dataset.coordinateTransformations?.find((transform) => transform.type === 'scale')?.scale;
  return {
    path: directory,
    zarrFormat: 2,
    name: multiscales.data[0].name,
    shape: zarray.shape as unknown as OmeZarrImageContents['shape'],
    sampleType,
    arrayMetadata: zarray,
    attributes,
    channelNames: (omero?.channels ?? []).map((channel, c) => channel.label ?? `Channel ${c}`),
    scale,
    scope,
    planeRecords: await readJournal(join(directory, scope?.planesJournal ?? PLANES_JOURNAL)),
    hasPlane: async (t, c, z) => (await stat(chunkPath(t, c, z)).catch(() => undefined))?.size === planeBytes,
    readPlane: async (t, c, z) => {
      const plane = newPlane(sampleType, width * height);
      if (t >= zarray.shape[0] || c >= zarray.shape[1] || z >= zarray.shape[2])
        throw new RangeError(`${directory}: plane t=${t} c=${c} z=${z} is outside shape ${zarray.shape.join('×')}`);
      const handle = await open(chunkPath(t, c, z), 'r').catch(() => undefined);
      if (!handle) return zarray.fill_value ? plane.fill(zarray.fill_value === 'NaN' ? Number.NaN : zarray.fill_value) : plane;
      try {
        const bytes = new Uint8Array(plane.buffer);
        const { bytesRead } = await handle.read(bytes, 0, planeBytes, 0);
        if (bytesRead !== planeBytes) throw new ZarrFormatError(`${chunkPath(t, c, z)}: ${bytesRead} bytes, a plane has ${planeBytes}`);
      } finally {
        await handle.close();
      }
      return plane;
    },
  };
}

/** Complete journal lines that parse; a torn last line (killed mid-append) is ignored. */
export async function readJournal(path: string): Promise<PlaneRecord[]> {
  const text = await readFile(path, 'latin1').catch(() => '');
  const records: PlaneRecord[] = [];
  for (const line of text.split('\n')) {
    const record = line.trim() ? parsePlaneRecord(line) : undefined;
    if (record) records.push(record);
  }
  return records;
}

async function readJson(path: string, where: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ZarrFormatError(`${where}: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ZarrFormatError(`${path}: not JSON: ${(error as Error).message}`);
  }
}
