import { existsSync } from 'node:fs';
import type { PixelArray } from '../../hardware/devices';
import { openTiffStack } from '../../acquisition/storage';
import { StormInputError } from './io-errors';
import { storageStackIo } from './storage-stack-io';

export { StormInputError };

/** A TIFF stack opened for reading frame by frame. */
export interface StormStack {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Frames in the file, when the reader knows without reading them all. */
  readonly frameCount: number | undefined;
  /** Physical pixel size from the file's metadata (OME or ImageJ), when it states one. */
  readonly pixelSizeUm: number | undefined;
  /** The raw data set's UUID when the file states one (OME-TIFF), so the result can name its source. */
  readonly datasetUuid?: string;
  frames(): AsyncIterable<PixelArray>;
  close(): Promise<void>;
}

export interface StormImage {
  readonly pixels: Float32Array;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelSizeUm: number;
  readonly description?: string;
  /** The raw data set the image was computed from (recorded in the OME-XML). */
  readonly derivedFrom?: { readonly path: string; readonly uuid: string };
}

/** How `scope storm` and the live STORM branch read stacks and writes images: the project's TIFF storage (src/acquisition/storage). */
export interface StormIo {
  openStack(path: string): Promise<StormStack>;
  writeImage(path: string, image: StormImage): Promise<void>;
}

/** Reads the stack plane by plane through the storage module; writes the image as a one-plane float32 OME-TIFF. */
export const defaultStormIo: StormIo = {
  async openStack(path) {
    if (!existsSync(path)) throw new StormInputError(`${path}: no such file`);
    const tiff = await openTiffStack(path);
    const sizes = tiff.ome?.images[0]?.pixels;
    if (sizes && (sizes.sizeC > 1 || sizes.sizeZ > 1 || (tiff.ome?.images.length ?? 1) > 1)) {
      await tiff.close();
      throw new StormInputError(
        `${path}: ${tiff.ome?.images.length ?? 1} image(s) of ${sizes.sizeC} channel(s) × ${sizes.sizeZ} z plane(s); ` +
          'storm needs one channel, one z plane and a series of frames (export that channel/plane first)',
      );
    }
    const datasetUuid = tiff.ome?.datasetUuid ?? tiff.ome?.uuid;
    return {
      widthPx: tiff.widthPx,
      heightPx: tiff.heightPx,
      frameCount: tiff.planeCount,
      pixelSizeUm: tiff.pixelSizeUm,
      ...(datasetUuid ? { datasetUuid } : {}),
      frames: () => tiff.planes(),
      close: () => tiff.close(),
    };
  },

  async writeImage(path, image) {
    const writer = await storageStackIo.createStack(path, {
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      planeCount: 1,
      sampleType: 'float32',
      pixelSizeUm: image.pixelSizeUm,
      description: image.description ?? 'super-resolved image',
      ...(image.derivedFrom ? { derivedFrom: image.derivedFrom } : {}),
    });
    try {
      await writer.writePlane(image.pixels);
    } finally {
      await writer.close();
    }
  },
};

export const openStormStack = (path: string): Promise<StormStack> => defaultStormIo.openStack(path);
