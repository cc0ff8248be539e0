import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { openOmeTiffWriter, openOmeZarrWriter, type DatasetLayoutInput, type FrameWriter } from '../storage';

export type RawFormat = 'ome-tiff' | 'ome-zarr';

export interface DatasetRequest {
  readonly acquisitionId: string;
  readonly layout: DatasetLayoutInput;
  readonly format: RawFormat;
  readonly directory: string;
  /** A human name for the file (the plan's metadata name); sanitised. */
  readonly name?: string;
  /** Start time, for the file name. */
  readonly startedAt?: Date;
  /** OME-Zarr: which zarr version stores it, and the shard size for v3 (storage.zarr). */
  readonly zarr?: { readonly version: 2 | 3; readonly shardTargetMiB: number };
}

/** Opens the raw data set a run writes into; the storage layer by default, a test may give its own. */
export type SinkFactory = (request: DatasetRequest) => Promise<FrameWriter>;

export const SINK_FACTORY = Symbol('SINK_FACTORY');

const EXTENSIONS: Readonly<Record<RawFormat, string>> = { 'ome-tiff': '.ome.tif', 'ome-zarr': '.ome.zarr' };

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** `<directory>/<yyyymmdd-hhmmss>_<name>_<id8>.ome.tif`: sortable, unique, and never an existing file. */
export function datasetPath(request: DatasetRequest): string {
  const name = (request.name ?? 'acquisition').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'acquisition';
  const file = `${stamp(request.startedAt ?? new Date())}_${name}_${request.acquisitionId.slice(0, 8)}${EXTENSIONS[request.format]}`;
  return join(resolve(request.directory), file);
}

/**
 * A multi-position OME-TIFF run is one file per position; they go into a folder of the run's own name, so the data
 * set is one thing on disk that status can name (`<folder>/<name>_p000.ome.tif`, …).
 */
async function ownFolderForPositions(path: string, request: DatasetRequest): Promise<string> {
  const positions = (request.layout.sizes.p ?? 1) * (request.layout.sizes.g ?? 1);
  if (request.format !== 'ome-tiff' || positions <= 1) return path;
  const folder = path.replace(/\.ome\.tif$/, '');
  await mkdir(folder);
  return join(folder, basename(path));
}

export const openRawDataset: SinkFactory = async (request) => {
  await mkdir(resolve(request.directory), { recursive: true });
  const path = await ownFolderForPositions(datasetPath(request), request);
  const layout = { ...request.layout, name: request.layout.name ?? request.name };
  if (request.format === 'ome-tiff') return openOmeTiffWriter(path, layout);
  const zarr = request.zarr ?? { version: 2, shardTargetMiB: 256 };
  return openOmeZarrWriter(path, layout, { zarrVersion: zarr.version, shardTargetBytes: zarr.shardTargetMiB * 2 ** 20 });
};
