import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetLayout } from '../../dataset-layout';
import { COMPLETE, type DatasetEnding } from '../../dataset-state';
import { writeFully } from '../../file-io';
import type { PlaneRecord } from '../../plane-record';
import { attributes, type ImageIdentity, type ZarrImageWriter } from '../ome-zarr-image';
import { PLANES_JOURNAL, planeBytesOf, type ScopeImageAttributes, type ZarrShape } from '../ngff-metadata';
import { PlaneJournal } from '../plane-journal';
import { syncPath, writeJsonAtomic } from '../zarr-files';
import { arrayMetadataFor, chunksPerShard, imageGroupFor, planeInShard, shardShapeOf, ZARR_JSON, type ShardShape } from './ngff05-metadata';
import { ShardIndex } from './shard-index';

interface OpenShard {
  readonly path: string;
  readonly index: ShardIndex;
  /** Planes in the shard; plane k sits at k × planeBytes, the index right after the last. */
  planes: number;
  handle?: FileHandle;
}

/** Shard files kept open at once (a plan whose channel loop is outside time writes to several in turn). */
const OPEN_SHARDS = 4;

/**
 * One NGFF 0.5 image being written into zarr v3 shards. Each plane is appended to its shard together with the
 * shard's updated index in one write, so a shard on disk always ends in an index that lists every plane before it
 * (a reader, or a process killed between two frames, sees a valid shard); durability comes by checkpoint: the
 * shards written since the last one, the journal and new directories are fsynced then, never per plane.
 */
export class ShardedZarrImage implements ZarrImageWriter {
  private readonly shards = new Map<string, OpenShard>();
  private readonly openOrder: OpenShard[] = [];
  private readonly unsynced = new Set<OpenShard>();
  /** Directories that gained an entry since the last flush (the metadata's renames at first). */
  private readonly unsyncedDirectories = new Set<string>();
  private readonly planeBytes: number;
  private shapeOnDisk: ZarrShape;

  private constructor(
    readonly directory: string,
    private readonly name: string,
    private readonly layout: DatasetLayout,
    private readonly identity: ImageIdentity,
    private readonly shard: ShardShape,
    private readonly fsync: boolean,
    private readonly journal: PlaneJournal,
  ) {
    this.shapeOnDisk = { t: layout.sizes.t, c: layout.sizes.c, z: layout.sizes.z };
    this.planeBytes = planeBytesOf(layout);
  }

  static async create(
    directory: string,
    name: string,
    layout: DatasetLayout,
    identity: ImageIdentity,
    shardT: number,
    fsync: boolean,
  ): Promise<ShardedZarrImage> {
    await mkdir(join(directory, '0'), { recursive: true });
    const journal = await PlaneJournal.create(join(directory, PLANES_JOURNAL));
    const image = new ShardedZarrImage(directory, name, layout, identity, shardShapeOf(layout, shardT), fsync, journal);
    await image.writeMetadata(image.shapeOnDisk, attributes(identity, layout, 'acquiring', 0));
    return image;
  }

  async writePlane(pixels: Uint8Array, record: PlaneRecord): Promise<void> {
    const { shardKey, chunk } = planeInShard(this.shard, record.t, record.c, record.z);
    const shard = await this.openShard(shardKey);
    const offset = shard.planes * this.planeBytes;
    shard.index.set(chunk, { offset, nbytes: pixels.byteLength });
    await writeFully(shard.handle!, [pixels, shard.index.bytes], offset);
    shard.planes++;
    this.unsynced.add(shard);
    await this.journal.append(record);
  }

  get planesWritten(): number {
    return this.journal.planesWritten;
  }

  /** Grows the array's shape when time ran past the plan, and flushes what the last checkpoint did not. */
  async checkpoint(): Promise<void> {
    if (this.journal.extent.t > this.shapeOnDisk.t) {
      const grown = { ...this.shapeOnDisk, t: this.journal.extent.t };
      await writeJsonAtomic(join(this.directory, '0', ZARR_JSON), arrayMetadataFor(this.layout, grown, this.shard), { fsync: this.fsync });
      this.unsyncedDirectories.add(join(this.directory, '0'));
      this.shapeOnDisk = grown;
    }
    if (this.fsync) await this.flush();
  }

  async finalize(ending: DatasetEnding = COMPLETE): Promise<void> {
    const shape = this.planesWritten > 0 ? this.journal.extent : this.shapeOnDisk;
    await this.writeMetadata(shape, {
      ...attributes(this.identity, this.layout, ending.state, this.planesWritten, ending),
      stage: this.journal.stage,
    });
    this.shapeOnDisk = shape;
    if (this.fsync) await this.flush();
  }

  async close(): Promise<void> {
    for (const shard of this.openOrder.splice(0)) await this.closeShard(shard);
    await this.journal.close();
  }

  private async writeMetadata(shape: ZarrShape, scope: ScopeImageAttributes): Promise<void> {
    const fsync = { fsync: this.fsync };
    this.unsyncedDirectories.add(this.directory).add(join(this.directory, '0'));
    await writeJsonAtomic(join(this.directory, '0', ZARR_JSON), arrayMetadataFor(this.layout, shape, this.shard), fsync);
    await writeJsonAtomic(join(this.directory, ZARR_JSON), imageGroupFor(this.name, shape, scope), fsync);
  }

  private async openShard(shardKey: string): Promise<OpenShard> {
    let shard = this.shards.get(shardKey);
    if (!shard) {
      const path = join(this.directory, shardKey);
      await this.makeDirectories(dirname(path));
      shard = { path, index: new ShardIndex(chunksPerShard(this.shard)), planes: 0 };
      this.shards.set(shardKey, shard);
    }
    if (!shard.handle) {
      // a new shard is created; one written before (the plan came back to it) is appended to where its data ends
      shard.handle = await open(shard.path, shard.planes === 0 ? 'wx' : 'r+');
      this.openOrder.push(shard);
      if (this.openOrder.length > OPEN_SHARDS) await this.closeShard(this.openOrder.shift()!);
    }
    return shard;
  }

  /** Closes the descriptor only: a shard still unsynced is fsynced by path at the next checkpoint, off the frame path. */
  private async closeShard(shard: OpenShard): Promise<void> {
    await shard.handle?.close();
    shard.handle = undefined;
  }

  /** A new shard's folders (each shard has its own); they and the folders above them up to the array gained entries. */
  private async makeDirectories(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    const arrayDirectory = join(this.directory, '0');
    for (let folder = directory; folder.length >= arrayDirectory.length; folder = dirname(folder)) this.unsyncedDirectories.add(folder);
  }

  /** fsyncs shards and journal, then every directory that gained an entry (so renames and new files survive). */
  private async flush(): Promise<void> {
    const shards = [...this.unsynced];
    this.unsynced.clear();
    await Promise.all([...shards.map((s) => (s.handle ? s.handle.datasync() : syncPath(s.path))), this.journal.datasync()]);
    const directories = [...this.unsyncedDirectories];
    this.unsyncedDirectories.clear();
    await Promise.all(directories.map(syncPath));
  }
}
