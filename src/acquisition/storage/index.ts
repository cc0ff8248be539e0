/**
 * Raw and processed data on disk: OME-TIFF (BigTIFF) and OME-Zarr (NGFF 0.4 on zarr v2, NGFF 0.5 on zarr v3 shards)
 * writers fed with Frames, crash recovery, and readers for our files and for TIFF stacks from other software.
 */
export { openOmeTiffWriter, omeTiffPositionPath, type OmeTiffWriter } from './tiff/ome-tiff-writer';
export { openOmeZarrWriter, type ZarrWriterOptions } from './zarr/ome-zarr-writer';
export type { FrameWriter, WriterOptions } from './frame-writer';
export type { DurabilityOptions } from './durability';
export type { DatasetEnding, DatasetState, FinalState } from './dataset-state';
export { validateLayout, type DatasetLayout, type DatasetLayoutInput, type DerivedFromLink, type SampleType } from './dataset-layout';
export { frameFromDerived } from './derived-frames';
export { channelColor, wavelengthColor, type ChannelLight } from './channel-colors';
export type { PlaneRecord } from './plane-record';
export { recoverDataset, type RecoveryReport } from './recover-dataset';
export { readOmeTiff, type OmeTiffContents, type OmeTiffPlane } from './tiff/read-ome-tiff';
export { openTiffStack, readTiffStack, type TiffStack, type TiffStackInfo } from './tiff/tiff-stack';
export { readOmeZarr, type OmeZarrContents, type OmeZarrImageContents } from './zarr/read-ome-zarr';
export {
  parseOmeXml,
  micrometers,
  milliseconds,
  type OmeMetadata,
  type OmeImage,
  type OmePixels,
  type OmePlane,
  type Quantity,
} from './ome-xml/read-ome-xml';
export {
  StorageWriteError,
  StorageFullError,
  FrameLayoutMismatchError,
  DatasetLayoutError,
  WriterClosedError,
  TiffFormatError,
  UnsupportedTiffError,
  OmeXmlError,
  ZarrFormatError,
  NotADatasetError,
} from './storage-errors';
