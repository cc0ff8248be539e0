/**
 * What the CARE commands need from image files: read a stack plane by plane (so stacks larger than memory work),
 * write one plane at a time. The project's TIFF/OME-TIFF code (src/acquisition/storage) provides it; see
 * storage-stack-io.ts.
 */

export type SampleType = 'uint8' | 'uint16' | 'uint32' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface PlaneStack {
  readonly path: string;
  readonly planeCount: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly sampleType: SampleType;
  readonly pixelSizeUm?: number;
  /** The data set's UUID when the file states one (OME-TIFF). */
  readonly datasetUuid?: string;
  readPlane(index: number): Promise<ArrayLike<number>>;
  close(): Promise<void>;
}

export interface NewStack {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly planeCount: number;
  readonly sampleType: 'float32' | 'uint16';
  /** Free text for the file's description (e.g. what the planes are and where they came from). */
  readonly description: string;
  readonly pixelSizeUm?: number;
  /** The raw data set these planes were computed from (recorded in the OME-XML). */
  readonly derivedFrom?: { readonly path: string; readonly uuid: string };
}

export interface PlaneStackWriter {
  writePlane(pixels: Float32Array | Uint16Array): Promise<void>;
  close(): Promise<void>;
}

export interface StackIo {
  openStack(path: string): Promise<PlaneStack>;
  createStack(path: string, stack: NewStack): Promise<PlaneStackWriter>;
}
