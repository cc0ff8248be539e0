import type { Frame } from '../../acquisition/frame';
import { openOmeTiffWriter, openTiffStack } from '../../acquisition/storage';
import type { NewStack, PlaneStack, PlaneStackWriter, StackIo } from './stack-io';

/**
 * The CARE commands' file access through the project's storage module: any TIFF stack (classic or BigTIFF,
 * compressed or not, from any software) read plane by plane; restored planes written as OME-TIFF data sets that
 * name the raw data set they came from, and that never replace an existing file.
 */
export const storageStackIo: StackIo = {
  async openStack(path: string): Promise<PlaneStack> {
    const stack = await openTiffStack(path);
    const datasetUuid = stack.ome?.datasetUuid ?? stack.ome?.uuid;
    return {
      path,
      planeCount: stack.planeCount,
      widthPx: stack.widthPx,
      heightPx: stack.heightPx,
      sampleType: stack.sampleType,
      ...(stack.pixelSizeUm ? { pixelSizeUm: stack.pixelSizeUm } : {}),
      ...(datasetUuid ? { datasetUuid } : {}),
      readPlane: (index) => stack.readPlane(index),
      close: () => stack.close(),
    };
  },

  async createStack(path: string, stack: NewStack): Promise<PlaneStackWriter> {
    const writer = await openOmeTiffWriter(path, {
      sizes: { t: stack.planeCount, c: 1, z: 1 },
      dtype: stack.sampleType,
      widthPx: stack.widthPx,
      heightPx: stack.heightPx,
      pixelSizeUm: stack.pixelSizeUm ?? 1,
      description: stack.description,
      ...(stack.derivedFrom ? { derivedFrom: stack.derivedFrom } : {}),
    });
    let sequence = 0;
    const startedMs = Date.now();
    return {
      writePlane: (pixels) => {
        const frame: Frame = {
          pixels,
          meta: {
            acquisitionId: 'processed',
            sequence,
            index: { t: sequence },
            width: stack.widthPx,
            height: stack.heightPx,
            bitDepth: stack.sampleType === 'uint16' ? 16 : 32,
            pixelSizeUm: stack.pixelSizeUm ?? 1,
            exposureMs: 0,
            stage: {},
            camera: 'none',
            wallTimeMs: startedMs,
          },
        };
        sequence++;
        return writer.write(frame);
      },
      close: () => writer.close(),
    };
  },
};
