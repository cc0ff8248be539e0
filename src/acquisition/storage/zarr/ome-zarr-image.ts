import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetLayout } from '../dataset-layout';
import { COMPLETE, droppedAt, type DatasetEnding, type DatasetState, type EndingNotes } from '../dataset-state';
import type { PlaneRecord } from '../plane-record';
import { chunkKey, imageAttributesFor, PLANES_JOURNAL, zarrayFor, type ScopeImageAttributes, type ZarrShape } from './ngff-metadata';
import { PlaneJournal } from './plane-journal';
import { syncPath, writeFileAtomic, writeJsonAtomic } from './zarr-files';

export type ImageIdentity = Omit<ScopeImageAttributes, 'state' | 'stateReason' | 'stage' | 'planesWritten' | 'planesJournal' | 'layout'>;

/** One image (position) of an OME-Zarr data set being written, whichever zarr version stores it. */
export interface ZarrImageWriter {
  readonly directory: string;
  readonly planesWritten: number;
  writePlane(pixels: Uint8Array, record: PlaneRecord): Promise<void>;
  /** Makes what was written visible (shape) and, with fsync, durable. */
  checkpoint(): Promise<void>;
  finalize(ending?: DatasetEnding): Promise<void>;
  close(): Promise<void>;
}

/**
 * One NGFF image (one position) being written: a chunk file per plane, written whole (temporary + rename) so a
 * killed process never leaves a torn chunk, and one journal line per plane with its metadata.
 */
export class OmeZarrImage implements ZarrImageWriter {
  private readonly createdDirectories = new Set<string>();
  private readonly unsynced = new Set<string>();
  private shapeOnDisk: ZarrShape;

  private constructor(
    readonly directory: string,
    private readonly name: string,
    private readonly layout: DatasetLayout,
    private readonly identity: ImageIdentity,
    private readonly fsync: boolean,
    private readonly journal: PlaneJournal,
  ) {
    this.shapeOnDisk = { t: layout.sizes.t, c: layout.sizes.c, z: layout.sizes.z };
  }

  /** Writes the group and array metadata for the planned shape, so the store is readable from the start. */
  static async create(
    directory: string,
    name: string,
    layout: DatasetLayout,
    identity: ImageIdentity,
    fsync: boolean,
  ): Promise<OmeZarrImage> {
    await mkdir(join(directory, '0'), { recursive: true });
    const planned = { t: layout.sizes.t, c: layout.sizes.c, z: layout.sizes.z };
    await writeJsonAtomic(join(directory, '.zgroup'), { zarr_format: 2 }, { fsync });
    await writeJsonAtomic(join(directory, '.zattrs'), imageAttributesFor(name, planned, attributes(identity, layout, 'acquiring', 0)), {
      fsync,
    });
    await writeJsonAtomic(join(directory, '0', '.zarray'), zarrayFor(layout, planned), { fsync });
    const journal = await PlaneJournal.create(join(directory, PLANES_JOURNAL));
    return new OmeZarrImage(directory, name, layout, identity, fsync, journal);
  }

  async writePlane(pixels: Uint8Array, record: PlaneRecord): Promise<void> {
    const chunkPath = join(this.directory, chunkKey(record.t, record.c, record.z));
    const chunkDirectory = dirname(chunkPath);
    if (!this.createdDirectories.has(chunkDirectory)) {
      await mkdir(chunkDirectory, { recursive: true });
      this.createdDirectories.add(chunkDirectory);
    }
    await writeFileAtomic(chunkPath, pixels, { fsync: false });
    await this.journal.append(record);
    this.unsynced.add(chunkPath);
  }

  get planesWritten(): number {
    return this.journal.planesWritten;
  }

  /** Grows the array's shape when time ran past the plan (else those chunks would be invisible), and flushes. */
  async checkpoint(): Promise<void> {
    if (this.journal.extent.t > this.shapeOnDisk.t) {
      const grown = { ...this.shapeOnDisk, t: this.journal.extent.t };
      await writeJsonAtomic(join(this.directory, '0', '.zarray'), zarrayFor(this.layout, grown), { fsync: this.fsync });
      this.shapeOnDisk = grown;
    }
    if (this.fsync) await this.flush();
  }

  /** Metadata for what was really written: shape = one past the largest index per axis, channels trimmed. */
  async finalize(ending: DatasetEnding = COMPLETE): Promise<void> {
    const shape = this.planesWritten > 0 ? this.journal.extent : this.shapeOnDisk;
    await writeJsonAtomic(join(this.directory, '0', '.zarray'), zarrayFor(this.layout, shape), { fsync: this.fsync });
    await writeJsonAtomic(
      join(this.directory, '.zattrs'),
      imageAttributesFor(this.name, shape, {
        ...attributes(this.identity, this.layout, ending.state, this.planesWritten, ending),
        stage: this.journal.stage,
      }),
      {
        fsync: this.fsync,
      },
    );
    this.shapeOnDisk = shape;
    if (this.fsync) await this.flush();
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  /** fsyncs chunk files, journal and every directory that gained an entry, in parallel (the disk merges them). */
  private async flush(): Promise<void> {
    const directories = new Set<string>([this.directory, join(this.directory, '0')]);
    for (const path of this.unsynced) {
      // new chunk directories 0/t/c/z/0 each add an entry to their parent
      for (let folder = dirname(path); folder.length > this.directory.length; folder = dirname(folder)) directories.add(folder);
    }
    const files = [...this.unsynced];
    this.unsynced.clear();
    await Promise.all([...files.map(syncPath), this.journal.datasync()]);
    await Promise.all([...directories].map(syncPath));
  }
}

export function attributes(
  identity: ImageIdentity,
  layout: DatasetLayout,
  state: DatasetState,
  planesWritten: number,
  notes?: EndingNotes,
): ScopeImageAttributes {
  const dropped = droppedAt(notes, identity.position);
  return {
    ...identity,
    state,
    ...(notes?.reason ? { stateReason: notes.reason } : {}),
    ...(dropped ? { framesDropped: dropped.count, droppedFrames: dropped.listed } : {}),
    ...(notes?.annotations && Object.keys(notes.annotations).length ? { annotations: notes.annotations } : {}),
    planesWritten,
    planesJournal: PLANES_JOURNAL,
    layout,
  };
}
