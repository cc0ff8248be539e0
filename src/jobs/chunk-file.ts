import { endianness } from 'node:os';
import { z } from 'zod';
import { ChunkFileError } from './jobs-errors';
import { chunkRestorationSchema } from './restoration-record';

const MAGIC = 'SCOPECK1';
// a float32 array's own bytes are the file's on little-endian hosts (every one we run on); others convert value by value
const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

const headerSchema = z
  .object({
    jobId: z.string(),
    index: z.number().int().nonnegative(),
    first: z.number().int().nonnegative(),
    count: z.number().int().positive(),
    /** Images in the file: 1 summed super-resolved image (storm) or one restored plane per input plane (denoise). */
    images: z.number().int().positive(),
    widthPx: z.number().int().positive(),
    heightPx: z.number().int().positive(),
    pixelSizeNm: z.number().positive(),
    /** Denoise chunks: the model and each plane's quality figures (a restored plane is never kept without them). */
    restoration: chunkRestorationSchema.optional(),
    /** Storm chunks: one more image after the super-resolved one, the sum of the chunk's frames on the camera grid. */
    widefield: z.object({ widthPx: z.number().int().positive(), heightPx: z.number().int().positive() }).strict().optional(),
    /** Denoise chunks of a derived OME-Zarr: the image its planes were put in; the file then holds no pixels. */
    planesIn: z.string().optional(),
  })
  .strict();

export type ChunkHeader = z.infer<typeof headerSchema>;

/** The pixels a chunk file holds: its images, the widefield sum if any; none when its planes went to a derived image. */
export function pixelCountOf(header: ChunkHeader): number {
  if (header.planesIn !== undefined) return 0;
  return header.images * header.widthPx * header.heightPx + (header.widefield ? header.widefield.widthPx * header.widefield.heightPx : 0);
}

export interface ChunkImages {
  readonly header: ChunkHeader;
  /** `images` images of widthPx × heightPx, one after the other, then the widefield sum (see pixelCountOf). */
  readonly pixels: Float32Array;
}

/**
 * One chunk's result as bytes: magic, header length, JSON header padded to 4 bytes, float32 little-endian pixels.
 * Nothing in it depends on when or where it was made, so a chunk computed twice is written as the same bytes.
 */
export function encodeChunk(header: ChunkHeader, pixels: Float32Array): Uint8Array {
  if (pixels.length !== pixelCountOf(header))
    throw new ChunkFileError(
      `chunk ${header.index}: ${pixels.length} pixels for ${header.images} image(s) of ${header.widthPx}×${header.heightPx}` +
        `${header.widefield ? ' and a widefield sum' : ''}${header.planesIn !== undefined ? ` put in ${header.planesIn}` : ''}`,
    );
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 4) * 4;
  const out = Buffer.alloc(MAGIC.length + 4 + padded + pixels.length * 4, 0x20);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(padded, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  const body = MAGIC.length + 4 + padded;
  if (HOST_IS_LITTLE_ENDIAN) Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).copy(out, body);
  else for (let i = 0; i < pixels.length; i++) out.writeFloatLE(pixels[i], body + 4 * i);
  return out;
}

export function decodeChunk(bytes: Uint8Array, what: string): ChunkImages {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < MAGIC.length + 4 || buffer.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new ChunkFileError(`${what}: not a chunk result (no ${MAGIC} mark)`);
  const length = buffer.readUInt32LE(MAGIC.length);
  const body = MAGIC.length + 4 + length;
  let parsed: unknown;
  try {
    parsed = JSON.parse(buffer.toString('utf8', MAGIC.length + 4, body));
  } catch (error) {
    throw new ChunkFileError(`${what}: unreadable chunk header (${(error as Error).message})`);
  }
  const checked = headerSchema.safeParse(parsed);
  if (!checked.success)
    throw new ChunkFileError(
      `${what}: bad chunk header (${checked.error.issues.map((i) => `${i.path.join('.') || 'header'}: ${i.message}`).join('; ')})`,
    );
  const header = checked.data;
  const count = pixelCountOf(header);
  if (buffer.length !== body + 4 * count) throw new ChunkFileError(`${what}: ${buffer.length - body} pixel bytes, ${4 * count} expected`);
  const pixels = new Float32Array(count);
  if (HOST_IS_LITTLE_ENDIAN) buffer.copy(Buffer.from(pixels.buffer), 0, body, body + 4 * count);
  else for (let i = 0; i < count; i++) pixels[i] = buffer.readFloatLE(body + 4 * i);
  return { header, pixels };
}
