import { open, type FileHandle } from 'node:fs/promises';
import { writeFully } from '../file-io';
import { serializePlaneRecord, type PlaneRecord } from '../plane-record';
import type { ScopeImageAttributes, ZarrShape } from './ngff-metadata';

/**
 * An image's planes.jsonl, one line per written plane with its metadata, and what the lines add up to: how many
 * planes, the extent they reach on each axis, and the first plane's stage position.
 */
export class PlaneJournal {
  planesWritten = 0;
  extent: ZarrShape = { t: 0, c: 0, z: 0 };
  stage?: ScopeImageAttributes['stage'];
  private offset = 0;
  /** Opened at the first plane: a plate of many positions does not hold a descriptor per position. */
  private handle?: FileHandle;

  private constructor(private readonly path: string) {}

  /** Creates the (empty) journal; an existing one is an error, as raw data is never overwritten. */
  static async create(path: string): Promise<PlaneJournal> {
    await (await open(path, 'wx')).close();
    return new PlaneJournal(path);
  }

  async append(record: PlaneRecord): Promise<void> {
    const line = Buffer.from(`${serializePlaneRecord(record)}\n`, 'latin1');
    this.handle ??= await open(this.path, 'r+');
    await writeFully(this.handle, [line], this.offset);
    this.offset += line.byteLength;
    this.planesWritten++;
    if (record.meta && !this.stage) this.stage = { reported: record.meta.stage, planned: record.meta.plannedStage };
    this.extent = {
      t: Math.max(this.extent.t, record.t + 1),
      c: Math.max(this.extent.c, record.c + 1),
      z: Math.max(this.extent.z, record.z + 1),
    };
  }

  async datasync(): Promise<void> {
    await this.handle?.datasync();
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
