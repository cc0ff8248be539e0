import { open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isFinalized } from '../../dataset-state';
import { validateLayout, type DatasetLayout } from '../../dataset-layout';
import { NotADatasetError } from '../../storage-errors';
import { planeBytesOf, PLANES_JOURNAL, type ScopeImageAttributes } from '../ngff-metadata';
import { readJournal } from '../read-ome-zarr';
import { cutTornJournalLine, type ZarrImageRecovery } from '../recover-ome-zarr';
import { isPartialName, syncPath, writeJsonAtomic } from '../zarr-files';
import {
  arrayMetadataFor,
  arrayMetadataSchema,
  chunksPerShard,
  imageGroupFor,
  planeInShard,
  shardShapeOfMetadata,
  ZARR_JSON,
} from './ngff05-metadata';
import { readShardIndex, readZarrJson } from './read-sharded-image';
import { shardIndexBytes, ShardIndex } from './shard-index';

/**
 * Finalizes one NGFF 0.5 image whose writer never closed. A shard whose last write was torn (its index fails the
 * CRC) is rebuilt from the journal: the writer appends planes, so the k-th plane of a shard in journal order sits
 * at k × planeBytes; planes whose bytes are not all there are cut, and a fresh index is written after the rest.
 */
export async function recoverShardedImage(directory: string): Promise<ZarrImageRecovery> {
  const attributes = (await readZarrJson(join(directory, ZARR_JSON))).attributes as
    { scope?: ScopeImageAttributes; ome?: { multiscales?: { name?: string }[] } } | undefined;
  if (!attributes?.scope?.layout)
    throw new NotADatasetError(`${directory}: zarr.json has no "scope" record; not an OME-Zarr written by this module`);
  const layout: DatasetLayout = validateLayout(attributes.scope.layout, directory);
  const metadata = arrayMetadataSchema.parse(await readZarrJson(join(directory, '0', ZARR_JSON)));
  const shard = shardShapeOfMetadata(metadata);
  const chunks = chunksPerShard(shard);
  const planeBytes = planeBytesOf(layout);
  let droppedFiles = 0;
  for (const folder of [directory, join(directory, '0')]) {
    for (const name of await readdir(folder)) {
      if (!isPartialName(name)) continue;
      await unlink(join(folder, name));
      droppedFiles++;
    }
  }
  const journalPath = join(directory, attributes.scope.planesJournal ?? PLANES_JOURNAL);
  const droppedJournalBytes = await cutTornJournalLine(journalPath);
  const records = await readJournal(journalPath);
  // each shard's chunks in the order they were appended
  const appended = new Map<string, number[]>();
  for (const { t, c, z } of records) {
    const { shardKey, chunk } = planeInShard(shard, t, c, z);
    const inShard = appended.get(shardKey) ?? [];
    inShard.push(chunk);
    appended.set(shardKey, inShard);
  }
  const extent = { t: 0, c: 0, z: 0 };
  let planes = 0;
  let repairedShards = 0;
  for (const shardNumber of await numberedEntries(join(directory, '0', 'c'))) {
    const shardKey = planeInShard(shard, shardNumber * shard.t, 0, 0).shardKey;
    const path = join(directory, shardKey);
    const read = await readShardIndex(path, chunks);
    if (!read) continue;
    let index = read.index;
    if (!index || read.sizeBytes !== index.written().length * planeBytes + shardIndexBytes(chunks)) {
      index = await rebuildShard(path, appended.get(shardKey) ?? [], read.sizeBytes, planeBytes, chunks);
      repairedShards++;
    }
    for (const chunk of index.written()) {
      planes++;
      extent.t = Math.max(extent.t, shardNumber * shard.t + Math.floor(chunk / (shard.c * shard.z)) + 1);
      extent.c = Math.max(extent.c, (Math.floor(chunk / shard.z) % shard.c) + 1);
      extent.z = Math.max(extent.z, (chunk % shard.z) + 1);
    }
  }
  const shape = planes > 0 ? extent : { t: layout.sizes.t, c: layout.sizes.c, z: layout.sizes.z };
  const alreadyComplete = isFinalized(attributes.scope.state) && droppedFiles === 0 && repairedShards === 0 && droppedJournalBytes === 0;
  if (!alreadyComplete) {
    const fsync = { fsync: true };
    await writeJsonAtomic(join(directory, '0', ZARR_JSON), arrayMetadataFor(layout, shape, shard), fsync);
    const scope: ScopeImageAttributes = { ...attributes.scope, layout, state: 'recovered', planesWritten: planes };
    await writeJsonAtomic(join(directory, ZARR_JSON), imageGroupFor(attributes.ome?.multiscales?.[0]?.name ?? '', shape, scope), fsync);
    await Promise.all([directory, join(directory, '0')].map(syncPath));
  }
  return {
    path: directory,
    planes,
    planeRecords: records.length,
    droppedFiles: droppedFiles + repairedShards,
    droppedJournalBytes,
    shape,
    alreadyComplete,
  };
}

/** The planes of the journal whose bytes are all in the shard, placed where the writer appended them; the rest cut. */
async function rebuildShard(
  path: string,
  appendedChunks: readonly number[],
  sizeBytes: number,
  planeBytes: number,
  chunks: number,
): Promise<ShardIndex> {
  const index = new ShardIndex(chunks);
  const whole = appendedChunks.filter((_, k) => (k + 1) * planeBytes <= sizeBytes);
  whole.forEach((chunk, k) => index.set(chunk, { offset: k * planeBytes, nbytes: planeBytes }));
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(whole.length * planeBytes);
    await handle.write(index.bytes, 0, index.bytes.byteLength, whole.length * planeBytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return index;
}

async function numberedEntries(folder: string): Promise<number[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => /^\d+$/.test(name)).map(Number);
}
