/** A minimal 8-bit greyscale PNG writer for evaluation figures (no dependency beyond zlib). */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

export function writeGreyPng(path: string, pixels: Uint8Array, width: number, height: number): void {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

/** Scales an image to 0–255 between 0 and its `percentile` (saturating the brightest pixels), with a gamma. */
export function toGrey(image: ArrayLike<number>, percentile = 99.5, gamma = 0.7): Uint8Array {
  const sorted = Float32Array.from(image).sort();
  const top = sorted[Math.min(sorted.length - 1, Math.floor((percentile / 100) * sorted.length))] || 1;
  const bottom = sorted[0];
  return Uint8Array.from(image as ArrayLike<number>, (v) =>
    Math.round(255 * Math.pow(Math.min(1, Math.max(0, (v - bottom) / (top - bottom || 1))), gamma)),
  );
}

/** Panels of equal height placed side by side with a gap. */
export function sideBySide(
  panels: ReadonlyArray<{ pixels: Uint8Array; width: number; height: number }>,
  gap = 8,
): { pixels: Uint8Array; width: number; height: number } {
  const height = Math.max(...panels.map((p) => p.height));
  const width = panels.reduce((w, p) => w + p.width, 0) + gap * (panels.length - 1);
  const pixels = new Uint8Array(width * height).fill(255);
  let x0 = 0;
  for (const p of panels) {
    for (let y = 0; y < p.height; y++) pixels.set(p.pixels.subarray(y * p.width, (y + 1) * p.width), y * width + x0);
    x0 += p.width + gap;
  }
  return { pixels, width, height };
}
