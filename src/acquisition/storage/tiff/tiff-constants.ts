/** TIFF 6.0 / BigTIFF tag numbers and field types used here. */
export const TAG = {
  newSubfileType: 254,
  imageWidth: 256,
  imageLength: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  fillOrder: 266,
  imageDescription: 270,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  xResolution: 282,
  yResolution: 283,
  planarConfiguration: 284,
  pageName: 285,
  resolutionUnit: 296,
  software: 305,
  predictor: 317,
  tileWidth: 322,
  tileLength: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  sampleFormat: 339,
  /** Private (reusable range): the plane's record as ASCII JSON, so a crashed file still knows each plane. */
  planeRecord: 65311,
  /** Private: the data set's layout and identity as ASCII JSON, in the first IFD only. */
  datasetInfo: 65312,
} as const;

export const TYPE = {
  byte: 1,
  ascii: 2,
  short: 3,
  long: 4,
  rational: 5,
  sbyte: 6,
  undefined: 7,
  sshort: 8,
  slong: 9,
  srational: 10,
  float: 11,
  double: 12,
  ifd: 13,
  long8: 16,
  slong8: 17,
  ifd8: 18,
} as const;

/** Bytes per value of each field type. */
export const TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

export const COMPRESSION = { none: 1, lzw: 5, adobeDeflate: 8, packBits: 32773, deflate: 32946 } as const;

export const BIGTIFF_HEADER_BYTES = 16;
