import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { concatMap, defer, from, Observable, type OperatorFunction } from 'rxjs';
import { frameFromDerived, openOmeTiffWriter, type DatasetLayoutInput, type FrameWriter } from '../../acquisition/storage';
import type { FrameMetadata } from '../../acquisition/frame';
import type { RawDataset } from '../../acquisition/service/acquisition.service';

/**
 * A model's per-frame outputs saved as data sets of their own beside (never over) the raw one: one float32
 * OME-TIFF per kind of map (restored frame, uncertainty, nuclei probability …) with the raw data set's layout, each
 * plane where its raw plane is (frames the branch skipped stay blank), the raw data set named in the OME-XML (path
 * and UUID); and a JSON index linking every plane to its raw frame, with the model's quality figures.
 */

export interface RawDatasetLink {
  readonly acquisitionId: string;
  /** The raw data set's path and UUID (its writer's `path` and `datasetUuid`). */
  readonly path: string;
  readonly uuid: string;
}

export const rawLinkOf = (raw: RawDataset): RawDatasetLink => ({ acquisitionId: raw.acquisitionId, path: raw.path, uuid: raw.datasetUuid });

export interface DerivedDatasetSpec {
  /** Key of the map in write() and of the data set in the index. */
  readonly key: string;
  readonly path: string;
  /** What the planes are, for the OME description, e.g. "restored frames". */
  readonly description: string;
}

export interface DerivedRecordingOptions {
  readonly raw: RawDatasetLink;
  /** The raw data set's layout (sizes, axis order, pixel size …): the derived ones mirror it, in float32. */
  readonly layout: DatasetLayoutInput;
  readonly datasets: readonly DerivedDatasetSpec[];
  readonly indexPath: string;
  /** The index's `kind`, e.g. "care-restored". */
  readonly kind: string;
  /** Who made the planes, for the OME description, e.g. "CARE". */
  readonly producer: string;
}

export class DerivedRecordingError extends Error {
  override readonly name = 'DerivedRecordingError';
}

export interface DerivedPlaneRecord<Q> {
  readonly rawSequence: number;
  readonly rawIndex: Readonly<Record<string, number>>;
  readonly rawWallTimeMs: number;
  readonly quality: Q;
}

const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));

export class DerivedPlanesRecorder<Q> {
  private readonly planes: Array<DerivedPlaneRecord<Q>> = [];

  private constructor(
    private readonly options: DerivedRecordingOptions,
    private readonly writers: ReadonlyMap<string, FrameWriter>,
  ) {}

  static async open<Q>(options: DerivedRecordingOptions): Promise<DerivedPlanesRecorder<Q>> {
    for (const file of [...options.datasets.map((d) => d.path), options.indexPath]) {
      if (real(file) === real(options.raw.path)) throw new DerivedRecordingError(`${file} is the raw data set: derived data never replaces raw data`);
    }
    const writers = new Map<string, FrameWriter>();
    try {
      for (const dataset of options.datasets) {
        const writer = await openOmeTiffWriter(resolve(dataset.path), {
          ...options.layout,
          dtype: 'float32',
          significantBits: undefined,
          acquisitionId: options.raw.acquisitionId,
          description: `${dataset.description} of acquisition ${options.raw.acquisitionId} by ${options.producer} (raw data: ${options.raw.path})`,
          derivedFrom: { path: options.raw.path, uuid: options.raw.uuid },
        });
        writers.set(dataset.key, writer);
      }
    } catch (err) {
      await Promise.allSettled([...writers.values()].map((w) => w.close()));
      throw err;
    }
    return new DerivedPlanesRecorder<Q>(options, writers);
  }

  /** Writes one plane per data set (all keys), where the raw frame `source` is. */
  async write(source: FrameMetadata, maps: Readonly<Record<string, Float32Array>>, size: { width: number; height: number }, quality: Q): Promise<void> {
    if (source.acquisitionId !== this.options.raw.acquisitionId) {
      throw new DerivedRecordingError(`frame of acquisition ${source.acquisitionId} offered to the recording of ${this.options.raw.acquisitionId}`);
    }
    for (const [key, writer] of this.writers) {
      const pixels = maps[key];
      if (!pixels) throw new DerivedRecordingError(`no ${key} map for raw frame ${source.sequence}`);
      await writer.write(frameFromDerived({ kind: this.options.kind, pixels, width: size.width, height: size.height, source, quality: {} }));
    }
    this.planes.push({ rawSequence: source.sequence, rawIndex: source.index, rawWallTimeMs: source.wallTimeMs, quality });
  }

  get planeCount(): number {
    return this.planes.length;
  }

  /** Closes every data set and writes the index that links each plane to its raw frame. */
  async close(extra: Record<string, unknown> = {}): Promise<void> {
    const closed = await Promise.allSettled([...this.writers.values()].map((w) => w.close()));
    const datasets = Object.fromEntries(this.options.datasets.map((d) => [d.key, { path: resolve(d.path), uuid: this.writers.get(d.key)!.datasetUuid }]));
    const index = { kind: this.options.kind, raw: this.options.raw, ...datasets, planes: this.planes, ...extra };
    writeFileSync(this.options.indexPath, `${JSON.stringify(index, null, 1)}\n`);
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** Writes the frames passing through (in order, one at a time), then closes the recording at completion. */
export function recordDerived<T>(write: (frame: T) => Promise<void>, close: () => Promise<void>): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const subscription = source
        .pipe(concatMap((frame) => defer(() => from(write(frame).then(() => frame)))))
        .subscribe({
          next: (frame) => subscriber.next(frame),
          error: (err) => void close().finally(() => subscriber.error(err)),
          complete: () => void close().then(() => subscriber.complete(), (err) => subscriber.error(err)),
        });
      return () => subscription.unsubscribe();
    });
}
