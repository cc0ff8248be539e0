import { resolve } from 'node:path';
import type { OperatorFunction } from 'rxjs';
import type { DatasetLayoutInput } from '../../../acquisition/storage';
import { DerivedPlanesRecorder, recordDerived, type DerivedPlaneRecord, type RawDatasetLink } from '../../live/derived-planes-recorder';
import type { CareRestoredFrame } from './care-branch';

/**
 * Saves a stream of restored frames beside (never over) the raw data set: restored planes and uncertainty maps as
 * two float32 OME-TIFF data sets with the raw layout, and a JSON index linking every plane to its raw frame with the
 * model and quality figures (DerivedPlanesRecorder).
 */

export type { RawDatasetLink } from '../../live/derived-planes-recorder';
export { DerivedRecordingError as RestoredRecordingError } from '../../live/derived-planes-recorder';

export interface RestoredRecordingOptions {
  /** The restored data set's path, e.g. `<acquisition>.care.ome.tif`; the uncertainty maps and index go beside it. */
  readonly path: string;
  readonly raw: RawDatasetLink;
  readonly layout: DatasetLayoutInput;
}

export type RestoredPlaneRecord = DerivedPlaneRecord<CareRestoredFrame['quality']>;

export function restoredRecordingFiles(path: string) {
  const stem = resolve(path).replace(/(\.ome)?\.tiff?$/i, '');
  return { restored: resolve(path), uncertainty: `${stem}-uncertainty.ome.tif`, index: `${stem}.json` };
}

export class RestoredRecorder {
  private constructor(
    readonly files: ReturnType<typeof restoredRecordingFiles>,
    private readonly recorder: DerivedPlanesRecorder<CareRestoredFrame['quality']>,
  ) {}

  static async open(options: RestoredRecordingOptions): Promise<RestoredRecorder> {
    const files = restoredRecordingFiles(options.path);
    const recorder = await DerivedPlanesRecorder.open<CareRestoredFrame['quality']>({
      raw: options.raw,
      layout: options.layout,
      datasets: [
        { key: 'restored', path: files.restored, description: 'restored frames' },
        { key: 'uncertainty', path: files.uncertainty, description: 'uncertainty maps (predicted standard deviation, raw units)' },
      ],
      indexPath: files.index,
      kind: 'care-restored',
      producer: 'CARE',
    });
    return new RestoredRecorder(files, recorder);
  }

  write(frame: CareRestoredFrame): Promise<void> {
    return this.recorder.write(frame.source, { restored: frame.pixels, uncertainty: frame.uncertainty }, frame, frame.quality);
  }

  /** Closes both data sets and writes the index that links each restored plane to its raw frame. */
  close(extra: Record<string, unknown> = {}): Promise<void> {
    return this.recorder.close(extra);
  }
}

/**
 * Records the restored frames passing through and closes at completion. Its input comes at the model's pace, after
 * the branch's bounded queue; a plane write is far shorter than a restoration.
 */
export function recordRestored(recorder: RestoredRecorder): OperatorFunction<CareRestoredFrame, CareRestoredFrame> {
  return recordDerived((frame) => recorder.write(frame), () => recorder.close());
}
