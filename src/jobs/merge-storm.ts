import { defaultStormIo } from '../models/io/storm-io';
import { squirrel } from '../models/smlm/quality/squirrel';
import type { ChunkImages } from './chunk-file';
import { isZarrOutput, putDerivedPlane, putDerivedSeries, type DerivedImage } from './derived-zarr';
import type { ChunkTask, JobSpec, StormQuality } from './job-spec';
import type { JobStorage } from './job-storage';

export const stormQualityKeyOf = (output: string): string => `${output}.squirrel.json`;
const errorMapKeyOf = (output: string): string =>
  isZarrOutput(output) ? `${output}/1` : `${output.replace(/(\.ome)?\.tiff?$/i, '')}.error-map.ome.tif`;

interface StormMerge {
  readonly spec: JobSpec;
  /** The chunks merged, in chunk order, and their files. */
  readonly merged: readonly ChunkTask[];
  readonly loaded: ReadonlyMap<number, ChunkImages>;
  readonly description: string;
  readonly derivedFrom?: { readonly path: string; readonly uuid: string };
}

/**
 * Deep-STORM's chunks summed, in chunk order (every run adds the same numbers in the same order), into one density;
 * SQUIRREL over the whole movie, against the mean of every merged frame, as `scope storm --quality` computes it.
 * Written as OME-TIFF (density, error map beside it) or as a derived OME-Zarr (image 0 density, image 1 error map).
 */
export async function mergeStorm(
  storage: JobStorage,
  { spec, merged, loaded, description, derivedFrom }: StormMerge,
): Promise<StormQuality | null> {
  const first = loaded.get(merged[0].index)!.header;
  const srArea = first.widthPx * first.heightPx;
  const density = new Float32Array(srArea);
  const camera = first.widefield;
  const widefieldSum = camera ? new Float64Array(camera.widthPx * camera.heightPx) : undefined;
  let frames = 0;
  for (const task of merged) {
    const { pixels, header } = loaded.get(task.index)!;
    for (let i = 0; i < srArea; i++) density[i] += pixels[i];
    if (widefieldSum && header.widefield) for (let i = 0; i < widefieldSum.length; i++) widefieldSum[i] += pixels[srArea + i];
    frames += task.count;
  }
  const upsampling = camera ? first.widthPx / camera.widthPx : 1;
  // chunks from before the widefield sum travelled with them give no reference: no figures rather than wrong ones
  const reference = widefieldSum && merged.every((task) => loaded.get(task.index)!.header.widefield);
  const result =
    reference && camera
      ? squirrel(
          Float32Array.from(widefieldSum, (v) => v / frames),
          camera.widthPx,
          camera.heightPx,
          density,
          upsampling,
        )
      : null;
  const pixelSizeUm = first.pixelSizeNm / 1000;
  const link = derivedFrom ? { derivedFrom } : {};
  const errorMapKey = errorMapKeyOf(spec.output);
  if (isZarrOutput(spec.output)) {
    const images: DerivedImage[] = [
      {
        name: 'Deep-STORM density',
        widthPx: first.widthPx,
        heightPx: first.heightPx,
        planes: 1,
        pixelSizeUm,
        channelName: 'density',
        description,
        ...link,
      },
    ];
    await putDerivedPlane(storage, `${spec.output}/0`, 0, density);
    if (result && camera) {
      await putDerivedPlane(storage, errorMapKey, 0, result.errorMap);
      images.push({
        name: 'SQUIRREL error map',
        widthPx: camera.widthPx,
        heightPx: camera.heightPx,
        planes: 1,
        pixelSizeUm: pixelSizeUm * upsampling,
        channelName: 'error',
        description: `SQUIRREL error map of image 0 against the mean of its ${frames} frames`,
        ...link,
      });
    }
    await putDerivedSeries(storage, spec.output, images);
  } else {
    const write = (key: string, pixels: Float32Array, widthPx: number, heightPx: number, sizeUm: number, text: string) =>
      storage.putFile(key, (path) =>
        defaultStormIo.writeImage(path, { pixels, widthPx, heightPx, pixelSizeUm: sizeUm, description: text, ...link }),
      );
    await write(spec.output, density, first.widthPx, first.heightPx, pixelSizeUm, description);
    if (result && camera)
      await write(
        errorMapKey,
        result.errorMap,
        camera.widthPx,
        camera.heightPx,
        pixelSizeUm * upsampling,
        `SQUIRREL error map of ${spec.output}`,
      );
  }
  if (!result) return null;
  const quality: StormQuality = {
    frames,
    rsp: result.rsp,
    rse: result.rse,
    rseRelative: result.rseRelative,
    rsfSigmaNm: result.rsfSigmaPx * first.pixelSizeNm * upsampling,
    alpha: result.alpha,
    beta: result.beta,
    errorMap: errorMapKey,
    figures: stormQualityKeyOf(spec.output),
  };
  await storage.put(quality.figures, Buffer.from(`${JSON.stringify({ job: spec.id, source: spec.dataset.key, ...quality }, null, 2)}\n`));
  return quality;
}
