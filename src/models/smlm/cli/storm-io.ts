import type { PixelArray } from '../../../hardware/devices';

/** A TIFF stack opened for reading frame by frame. */
export interface StormStack {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Frames in the file, when the reader knows without reading them all. */
  readonly frameCount: number | undefined;
  /** Physical pixel size from the file's metadata (OME or ImageJ), when it states one. */
  readonly pixelSizeUm: number | undefined;
  frames(): AsyncIterable<PixelArray>;
}

export interface StormImage {
  readonly pixels: Float32Array;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelSizeUm: number;
  readonly description?: string;
}

/** How `scope storm` reads stacks and writes images: the project's TIFF storage (src/acquisition/storage). */
export interface StormIo {
  openStack(path: string): Promise<StormStack>;
  writeImage(path: string, image: StormImage): Promise<void>;
}

export class StormIoUnavailableError extends Error {
  override readonly name = 'StormIoUnavailableError';
}

/**
 * The storage module (TIFF stack reader, OME-TIFF writer) is written in src/acquisition/storage by another part
 * of the project; this adapter is wired to it once it exists. Until then opening a stack says so.
 */
export const defaultStormIo: StormIo = {
  openStack: async (path) => {
    throw new StormIoUnavailableError(`cannot read ${path}: the TIFF storage module (src/acquisition/storage) is not available in this build`);
  },
  writeImage: async (path) => {
    throw new StormIoUnavailableError(`cannot write ${path}: the OME-TIFF writer (src/acquisition/storage) is not available in this build`);
  },
};

export const openStormStack = (path: string): Promise<StormStack> => defaultStormIo.openStack(path);
