import { storageStackIo } from '../models/io/storage-stack-io';
import type { ChunkImages } from './chunk-file';
import { isZarrOutput, putDerivedImage } from './derived-zarr';
import type { ChunkTask, JobSpec } from './job-spec';
import type { JobStorage } from './job-storage';
import { ChunkFileError } from './jobs-errors';
import type { JobRestoration, PlaneQuality } from './restoration-record';

/** Beyond this many planes the description points at the quality file instead of listing every figure. */
const PLANES_LISTED_IN_DESCRIPTION = 512;

export const qualityKeyOf = (output: string): string => `${output}.quality.jsonl`;
export const provenanceKeyOf = (output: string): string => `${output}.provenance.json`;

/**
 * The merged denoise job's account of its planes, as `scope denoise` gives it: the raw data set linked, the model,
 * each plane's quality figures (null where the plane's chunk failed). Chunks from before quality was recorded give
 * none, and say so in the description rather than pass for figures.
 */
export function restorationOf(
  storage: JobStorage,
  spec: JobSpec,
  chunks: readonly ChunkTask[],
  loaded: ReadonlyMap<number, ChunkImages>,
): JobRestoration {
  const planes: Array<PlaneQuality | null> = [];
  let model: JobRestoration['model'] = null;
  for (const task of chunks) {
    const restoration = loaded.get(task.index)?.header.restoration;
    model ??= restoration?.model ?? null;
    for (let k = 0; k < task.count; k++) planes.push(restoration?.planes[k] ?? null);
  }
  const known = planes.filter((q): q is PlaneQuality => q !== null);
  const mean = known.length ? known.reduce((sum, q) => sum + q.predictedPsnrDb, 0) / known.length : null;
  return {
    raw: { key: spec.dataset.key, url: `${storage.location}/${spec.dataset.key}`, uuid: spec.dataset.datasetUuid },
    model,
    quality: qualityKeyOf(spec.output),
    provenance: provenanceKeyOf(spec.output),
    meanPredictedPsnrDb: mean,
    planes,
  };
}

/** The output's OME description: what the planes are, from which raw data, by which model, and how good each is predicted to be. */
export function restorationDescription(spec: JobSpec, restoration: JobRestoration, missing: string): string {
  const { model, raw, planes } = restoration;
  const by = model ? `CARE model "${model.id}" (${model.name}, ${model.runtime})` : `CARE model "${spec.method.model}"`;
  const calibrated = planes.some((q) => q?.psnrCalibrated) ? 'calibrated' : 'uncalibrated';
  const figures =
    planes.length <= PLANES_LISTED_IN_DESCRIPTION
      ? `predicted PSNR per plane (dB, ${calibrated}): ${planes.map((q) => (q ? q.predictedPsnrDb.toFixed(2) : 'none')).join(', ')}`
      : `predicted PSNR per plane in ${restoration.quality}`;
  return (
    `CARE restored planes of ${raw.key} by ${by}; raw data: ${raw.url}${raw.uuid ? ` (${raw.uuid})` : ''}; job ${spec.id}` +
    `${missing}${missing ? ' (NaN planes)' : ''}; ${figures}`
  );
}

/** The quality records (one JSON line per restored plane, as scope denoise --quality) and the provenance beside the output. */
export async function putRestorationRecords(storage: JobStorage, spec: JobSpec, restoration: JobRestoration): Promise<void> {
  const lines = restoration.planes.flatMap((q) => (q ? [`${JSON.stringify(q)}\n`] : [])).join('');
  await storage.put(restoration.quality, Buffer.from(lines));
  const provenance = {
    kind: 'care-restored',
    job: spec.id,
    raw: { ...restoration.raw, planes: spec.dataset.planeCount, widthPx: spec.dataset.widthPx, heightPx: spec.dataset.heightPx },
    restored: { key: spec.output, sampleType: 'float32' },
    uncertainty: null,
    quality: restoration.quality,
    model: restoration.model,
    // the submission time, not the merge's: a merge run twice writes the same bytes
    submittedAt: spec.submittedAt,
  };
  await storage.put(restoration.provenance, Buffer.from(`${JSON.stringify(provenance, null, 2)}\n`));
}

interface RestoredPlanes {
  readonly spec: JobSpec;
  readonly chunks: readonly ChunkTask[];
  readonly loaded: ReadonlyMap<number, ChunkImages>;
  readonly description: string;
  readonly restoration: JobRestoration;
  readonly derivedFrom?: { readonly path: string; readonly uuid: string };
}

/**
 * The restored stack, planes in the raw data set's order, NaN where a chunk failed: a derived OME-Zarr's planes are
 * already in place (put by the chunks), so only its metadata is written; an OME-TIFF is written whole from the chunks.
 */
export async function writeRestoredPlanes(storage: JobStorage, planes: RestoredPlanes): Promise<void> {
  const { spec, chunks, loaded, description, restoration, derivedFrom } = planes;
  const { widthPx, heightPx, planeCount, pixelSizeUm } = spec.dataset;
  if (isZarrOutput(spec.output)) {
    for (const [index, chunk] of loaded)
      if (chunk.header.planesIn !== spec.output)
        throw new ChunkFileError(
          `chunk ${index} of ${spec.id} put its planes in ${chunk.header.planesIn ?? 'its chunk file'}, not in ${spec.output}`,
        );
    const { model, quality, provenance, meanPredictedPsnrDb } = restoration;
    await putDerivedImage(storage, spec.output, {
      name: `${spec.dataset.key} restored`,
      widthPx,
      heightPx,
      planes: planeCount,
      pixelSizeUm: pixelSizeUm ?? 1,
      channelName: 'CARE restored',
      description,
      ...(derivedFrom ? { derivedFrom } : {}),
      extra: { job: spec.id, model, quality, provenance, meanPredictedPsnrDb },
    });
    return;
  }
  await storage.putFile(spec.output, async (path) => {
    const writer = await storageStackIo.createStack(path, {
      widthPx,
      heightPx,
      planeCount,
      sampleType: 'float32',
      description,
      ...(pixelSizeUm ? { pixelSizeUm } : {}),
      ...(derivedFrom ? { derivedFrom } : {}),
    });
    try {
      const area = widthPx * heightPx;
      for (const task of chunks) {
        const chunk = loaded.get(task.index);
        for (let k = 0; k < task.count; k++)
          await writer.writePlane(chunk ? chunk.pixels.subarray(k * area, (k + 1) * area) : new Float32Array(area).fill(Number.NaN));
      }
    } finally {
      await writer.close();
    }
  });
}
