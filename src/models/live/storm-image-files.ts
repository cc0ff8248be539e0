import { writeFile } from 'node:fs/promises';
import type { RawDataset } from '../../acquisition/service/acquisition.service';
import { defaultStormIo } from '../io/storm-io';
import type { StormLiveFrame } from '../smlm/live/storm-live';

/** Saves a super-resolved image beside its raw data set, linked to it: the image, its SQUIRREL error map, its quality figures. */
export async function saveStormImage(path: string, image: StormLiveFrame, raw: Pick<RawDataset, 'path' | 'datasetUuid'>): Promise<void> {
  const { quality } = image;
  const derivedFrom = { path: raw.path, uuid: raw.datasetUuid };
  const description = `${quality.method} super-resolution of the centred ${image.source.width}×${image.source.height} px of ${raw.path}, ${quality.framesUsed} frames`;
  const pixels = image.pixels instanceof Float32Array ? image.pixels : Float32Array.from(image.pixels);
  await defaultStormIo.writeImage(path, { pixels, widthPx: image.width, heightPx: image.height, pixelSizeUm: quality.pixelSizeNm / 1000, description, derivedFrom });
  if (quality.errorMap) {
    await defaultStormIo.writeImage(path.replace(/\.ome\.tif$/, '.error-map.ome.tif'), {
      pixels: quality.errorMap,
      widthPx: image.source.width,
      heightPx: image.source.height,
      pixelSizeUm: image.source.pixelSizeUm,
      description: `SQUIRREL error map of ${path}`,
      derivedFrom,
    });
  }
  const { errorMap, ...figures } = quality;
  await writeFile(path.replace(/\.ome\.tif$/, '.quality.json'), `${JSON.stringify({ ...figures, hasErrorMap: errorMap !== null, source: raw.path }, null, 2)}\n`);
}
