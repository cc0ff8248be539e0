import type { DerivedFrame, Frame } from '../frame';

/**
 * A processed frame (denoised, super-resolved) as a Frame for a processed data set's writer: its own pixels and
 * size, the source frame's metadata (indices, time, stage) so planes land where their raw planes are. The data
 * set's layout carries `derivedFrom` (raw path and UUID) and the processed pixel size.
 */
export function frameFromDerived(derived: DerivedFrame): Frame {
  return { pixels: derived.pixels, meta: { ...derived.source, width: derived.width, height: derived.height } };
}
