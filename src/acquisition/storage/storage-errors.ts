/**
 * Failures of the storage layer, one class per thing a caller may handle differently: a full disk (free space,
 * switch disks) is not a broken disk, and neither is a frame that does not fit the data set it is written to.
 */

/** Writing a frame (or finalizing a data set) failed; everything already written stays readable. */
export class StorageWriteError extends Error {
  override readonly name: string = 'StorageWriteError';
  constructor(
    message: string,
    readonly path: string,
    /** The frame's running number in its acquisition (`meta.sequence`), when a frame was being written. */
    readonly frameIndex: number | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The file system ran out of space (ENOSPC or EDQUOT). */
export class StorageFullError extends StorageWriteError {
  override readonly name: string = 'StorageFullError';
}

/** A frame does not match the layout its data set was opened with (size, pixel type or an index out of range). */
export class FrameLayoutMismatchError extends Error {
  override readonly name = 'FrameLayoutMismatchError';
}

/** The layout given at open is not usable (inconsistent sizes, names, pixel size). */
export class DatasetLayoutError extends Error {
  override readonly name = 'DatasetLayoutError';
}

/** A frame was handed to a writer that was already closed or had failed. */
export class WriterClosedError extends Error {
  override readonly name = 'WriterClosedError';
}

/** A TIFF file is malformed (bad header, IFD outside the file, missing required tags). */
export class TiffFormatError extends Error {
  override readonly name = 'TiffFormatError';
}

/** A TIFF file is well-formed but uses a feature this reader does not implement (RGB, JPEG, predictor 3…). */
export class UnsupportedTiffError extends Error {
  override readonly name = 'UnsupportedTiffError';
}

/** OME-XML that cannot be parsed or lacks what OME requires (Pixels sizes, DimensionOrder, Type). */
export class OmeXmlError extends Error {
  override readonly name = 'OmeXmlError';
}

/** An OME-Zarr store whose metadata is missing or invalid. */
export class ZarrFormatError extends Error {
  override readonly name = 'ZarrFormatError';
}

/** `recoverDataset` was pointed at something that is not a data set this module wrote. */
export class NotADatasetError extends Error {
  override readonly name = 'NotADatasetError';
}
