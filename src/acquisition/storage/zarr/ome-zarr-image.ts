import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetLayout } from '../dataset-layout';
import { COMPLETE, droppedAt, type DatasetEnding, type DatasetState, type EndingNotes } from '../dataset-state';
import { writeFully } from '../file-io';
import { serializePlaneRecord, type PlaneRecord } from '../plane-record';
import { chunkKey, imageAttributesFor, PLANES_JOURNAL, zarrayFor, type ScopeImageAttributes, type ZarrShape } from './ngff-metadata';
import { syncPath, writeFileAtomic, writeJsonAtomic } from './zarr-files';

export type ImageIdentity = Omit<ScopeImageAttributes, 'state' | 'stateReason' | 'stage' | 'planesWritten' | 'planesJournal' | 'layout'>;

/**
 * One NGFF image (one position) being written: a chunk file per plane, written whole (temporary + rename) so a
 * killed process never leaves a torn chunk, and one journal line per plane with its metadata.
 */
export class OmeZarrImage {
  private readonly createdDirectories = new Set<string>();
  private readonly unsynced = new Set<string>();
  private extent: ZarrShape = { t: 0, c: 0, z: 0 };
  private shapeOnDisk: ZarrShape;
  private journalOffset = 0;
  /** Opened at the first plane: a plate of many positions does not hold a descriptor per position. */
  private journal?: FileHandle;
  private stage?: ScopeImageAttributes['stage'];
  planesWritten = 0;

  private constructor(
    readonly directory: string,
    private readonly name: string,
    private readonly layout: DatasetLayout,
    private readonly identity: ImageIdentity,
    private readonly fsync: boolean,
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
    await (await open(join(directory, PLANES_JOURNAL), 'wx')).close();
    return new OmeZarrImage(directory, name, layout, identity, fsync);
  }

  async writePlane(pixels: Uint8Array, record: PlaneRecord): Promise<void> {
    const chunkPath = join(this.directory, chunkKey(record.t, record.c, record.z));
    const chunkDirectory = dirname(chunkPath);
    if (!this.createdDirectories.has(chunkDirectory)) {
      await mkdir(chunkDirectory, { recursive: true });
      this.createdDirectories.add(chunkDirectory);
    }
    await writeFileAtomic(chunkPath, pixels, { fsync: false });
    const line = Buffer.from(`${serializePlaneRecord(record)}\n`, 'latin1');
    this.journal ??= await open(join(this.directory, PLANES_JOURNAL), 'r+');
    await writeFully(this.journal, [line], this.journalOffset);
    this.journalOffset += line.byteLength;
    this.unsynced.add(chunkPath);
    this.planesWritten++;
    if (record.meta && !this.stage) this.stage = { reported: record.meta.stage, planned: record.meta.plannedStage };
    this.extent = {
      t: Math.max(this.extent.t, record.t + 1),
      c: Math.max(this.extent.c, record.c + 1),
      z: Math.max(this.extent.z, record.z + 1),
    };
  }

  /** Grows the array's shape when time ran past the plan (else those chunks would be invisible), and flushes. */
  async checkpoint(): Promise<void> {
    if (this.extent.t > this.shapeOnDisk.t) {
      const grown = { ...this.shapeOnDisk, t: this.extent.t };
      await writeJsonAtomic(join(this.directory, '0', '.zarray'), zarrayFor(this.layout, grown), { fsync: this.fsync });
      this.shapeOnDisk = grown;
    }
    if (this.fsync) await this.flush();
  }

  /** Metadata for what was really written: shape = one past the largest index per axis, channels trimmed. */
  async finalize(ending: DatasetEnding = COMPLETE): Promise<void> {
    const shape = this.planesWritten > 0 ? this.extent : this.shapeOnDisk;
    await writeJsonAtomic(join(this.directory, '0', '.zarray'), zarrayFor(this.layout, shape), { fsync: this.fsync });
    await writeJsonAtomic(
      join(this.directory, '.zattrs'),
      imageAttributesFor(this.name, shape, {
        ...attributes(this.identity, this.layout, ending.state, this.planesWritten, ending),
        stage: this.stage,
      }),
      {
        fsync: this.fsync,
      },
    );
    this.shapeOnDisk = shape;
    if (this.fsync) await this.flush();
  }

  async close(): Promise<void> {
    await this.journal?.close();
    this.journal = undefined;
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
    await Promise.all([...files.map(syncPath), this.journal?.datasync()]);
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
