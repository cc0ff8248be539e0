import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { concatMap, defer, from, type OperatorFunction, Observable } from 'rxjs';
import { frameFromDerived, openOmeTiffWriter, type DatasetLayoutInput, type FrameWriter } from '../../../acquisition/storage';
import type { CareRestoredFrame } from './care-branch';

/**
 * Saves a stream of restored frames as its own data set beside (never over) the raw one, through the acquisition
 * storage writers: restored planes and uncertainty maps as OME-TIFF data sets with the raw data set's layout, each
 * plane where its raw plane is (frames the branch skipped stay blank), the raw data set named in their OME-XML
 * (path and UUID); and a JSON index linking every plane to its raw frame, with the model and quality figures.
 */

export interface RawDatasetLink {
  readonly acquisitionId: string;
  /** The raw data set's path and UUID (its writer's `path` and `datasetUuid`). */
  readonly path: string;
  readonly uuid: string;
}

export interface RestoredRecordingOptions {
  /** The restored data set's path, e.g. `<acquisition>.care.ome.tif`; the uncertainty maps and index go beside it. */
  readonly path: string;
  readonly raw: RawDatasetLink;
  /** The raw data set's layout (sizes, axis order, pixel size …): the restored one mirrors it, in float32. */
  readonly layout: DatasetLayoutInput;
}

export class RestoredRecordingError extends Error {
  override readonly name = 'RestoredRecordingError';
}

export interface RestoredPlaneRecord {
  readonly rawSequence: number;
  readonly rawIndex: Readonly<Record<string, number>>;
  readonly rawWallTimeMs: number;
  readonly quality: CareRestoredFrame['quality'];
}

const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));

export function restoredRecordingFiles(path: string) {
  const stem = resolve(path).replace(/(\.ome)?\.tiff?$/i, '');
  return { restored: resolve(path), uncertainty: `${stem}-uncertainty.ome.tif`, index: `${stem}.json` };
}

export class RestoredRecorder {
  private readonly planes: RestoredPlaneRecord[] = [];

  private constructor(
    private readonly options: RestoredRecordingOptions,
    readonly files: ReturnType<typeof restoredRecordingFiles>,
    private readonly restored: FrameWriter,
    private readonly uncertainty: FrameWriter,
  ) {}

  static async open(options: RestoredRecordingOptions): Promise<RestoredRecorder> {
    const files = restoredRecordingFiles(options.path);
    for (const file of Object.values(files)) {
      if (real(file) === real(options.raw.path)) throw new RestoredRecordingError(`${file} is the raw data set: restored data never replaces raw data`);
    }
    const layout = (what: string): DatasetLayoutInput => ({
      ...options.layout,
      dtype: 'float32',
      significantBits: undefined,
      acquisitionId: options.raw.acquisitionId,
      description: `${what} of acquisition ${options.raw.acquisitionId} by CARE (raw data: ${options.raw.path})`,
      derivedFrom: { path: options.raw.path, uuid: options.raw.uuid },
    });
    const restored = await openOmeTiffWriter(files.restored, layout('restored frames'));
    const uncertainty = await openOmeTiffWriter(files.uncertainty, layout('uncertainty maps (predicted standard deviation, raw units)')).catch(async (err) => {
      await restored.close();
      throw err;
    });
    return new RestoredRecorder(options, files, restored, uncertainty);
  }

  async write(frame: CareRestoredFrame): Promise<void> {
    if (frame.source.acquisitionId !== this.options.raw.acquisitionId) {
      throw new RestoredRecordingError(`frame of acquisition ${frame.source.acquisitionId} offered to the recording of ${this.options.raw.acquisitionId}`);
    }
    const asDerived = (pixels: Float32Array) => frameFromDerived({ kind: frame.kind, pixels, width: frame.width, height: frame.height, source: frame.source, quality: {} });
    await this.restored.write(asDerived(frame.pixels));
    await this.uncertainty.write(asDerived(frame.uncertainty));
    this.planes.push({ rawSequence: frame.source.sequence, rawIndex: frame.source.index, rawWallTimeMs: frame.source.wallTimeMs, quality: frame.quality });
  }

  /** Closes both data sets and writes the index that links each restored plane to its raw frame. */
  async close(extra: Record<string, unknown> = {}): Promise<void> {
    try {
      await this.restored.close();
    } finally {
      await this.uncertainty.close();
    }
    const index = {
      kind: 'care-restored',
      raw: this.options.raw,
      restored: { path: this.files.restored, uuid: this.restored.datasetUuid },
      uncertainty: { path: this.files.uncertainty, uuid: this.uncertainty.datasetUuid },
      planes: this.planes,
      ...extra,
    };
    writeFileSync(this.files.index, `${JSON.stringify(index, null, 1)}\n`);
  }
}

/**
 * Records the restored frames passing through (in order, one write at a time) and closes at completion. Its input
 * comes at the model's pace, after the branch's bounded queue; a plane write is far shorter than a restoration.
 */
export function recordRestored(recorder: RestoredRecorder): OperatorFunction<CareRestoredFrame, CareRestoredFrame> {
  return (source) =>
    new Observable<CareRestoredFrame>((subscriber) => {
      const subscription = source
        .pipe(concatMap((frame) => defer(() => from(recorder.write(frame).then(() => frame)))))
        .subscribe({
          next: (frame) => subscriber.next(frame),
          error: (err) => void recorder.close().finally(() => subscriber.error(err)),
          complete: () => void recorder.close().then(() => subscriber.complete(), (err) => subscriber.error(err)),
        });
      return () => subscription.unsubscribe();
    });
}
