/**
 * The index of a zarr v3 shard (sharding_indexed codec, index_location "end"): for each inner chunk in C order an
 * (offset, nbytes) pair of little-endian uint64, both 2⁶⁴−1 for a chunk not written, followed by the CRC-32C of
 * those bytes (the crc32c index codec), so a reader or a recovery can tell a whole index from a torn one.
 */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), as zarr's crc32c codec computes it. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const EMPTY = 0xffffffffffffffffn;

/** Bytes of the index of a shard of `chunks` inner chunks, CRC included. */
export const shardIndexBytes = (chunks: number): number => 16 * chunks + 4;

export interface ChunkPlace {
  readonly offset: number;
  readonly nbytes: number;
}

/** A shard's index as it is kept in memory and written after the shard's data. */
export class ShardIndex {
  readonly bytes: Buffer;

  constructor(readonly chunks: number) {
    this.bytes = Buffer.alloc(shardIndexBytes(chunks), 0xff);
    this.seal();
  }

  /** Parses the last `shardIndexBytes(chunks)` bytes of a shard; undefined when the CRC does not match (torn). */
  static parse(bytes: Uint8Array, chunks: number): ShardIndex | undefined {
    if (bytes.byteLength !== shardIndexBytes(chunks)) return undefined;
    const body = bytes.subarray(0, 16 * chunks);
    if (crc32c(body) !== Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32LE(16 * chunks)) return undefined;
    const index = new ShardIndex(chunks);
    index.bytes.set(bytes);
    return index;
  }

  set(chunk: number, place: ChunkPlace): void {
    this.bytes.writeBigUInt64LE(BigInt(place.offset), 16 * chunk);
    this.bytes.writeBigUInt64LE(BigInt(place.nbytes), 16 * chunk + 8);
    this.seal();
  }

  get(chunk: number): ChunkPlace | undefined {
    const offset = this.bytes.readBigUInt64LE(16 * chunk);
    const nbytes = this.bytes.readBigUInt64LE(16 * chunk + 8);
    return offset === EMPTY && nbytes === EMPTY ? undefined : { offset: Number(offset), nbytes: Number(nbytes) };
  }

  /** The inner chunks written, in index order. */
  written(): number[] {
    const chunks: number[] = [];
    for (let chunk = 0; chunk < this.chunks; chunk++) if (this.get(chunk)) chunks.push(chunk);
    return chunks;
  }

  private seal(): void {
    this.bytes.writeUInt32LE(crc32c(this.bytes.subarray(0, 16 * this.chunks)), 16 * this.chunks);
  }
}
