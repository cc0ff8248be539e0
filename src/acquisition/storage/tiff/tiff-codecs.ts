import { inflateRawSync, inflateSync } from 'node:zlib';

/** Thrown by a codec on corrupt data; the caller adds file and page. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}

/**
 * TIFF LZW (TIFF 6.0 section 13): MSB-first codes of 9–12 bits, 256 = clear, 257 = end of information, and the
 * "early change" of code width one code before the table fills, as libtiff writes it.
 */
export function decodeLzw(input: Uint8Array, expectedBytes: number): Uint8Array {
  const out = new Uint8Array(expectedBytes);
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  const stack = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    length[i] = 1;
  }
  let written = 0;
  let bitPosition = 0;
  const totalBits = input.length * 8;
  let width = 9;
  let next = 258;
  let previous = -1;
  const readCode = (): number => {
    if (bitPosition + width > totalBits) return 257;
    let code = 0;
    for (let bits = width, at = bitPosition; bits > 0;) {
      const byte = input[at >> 3];
      const available = 8 - (at & 7);
      const take = Math.min(available, bits);
      code = (code << take) | ((byte >> (available - take)) & ((1 << take) - 1));
      bits -= take;
      at += take;
    }
    bitPosition += width;
    return code;
  };
  for (;;) {
    const code = readCode();
    if (code === 257) break;
    if (code === 256) {
      width = 9;
      next = 258;
      previous = -1;
      continue;
    }
    if (code > next || (previous < 0 && code >= 256)) throw new CodecError(`LZW code ${code} out of sequence`);
    // emit the string for `code` (for code === next, the previous string plus its own first byte)
    let entry = code === next ? previous : code;
    let depth = 0;
    while (entry >= 256) {
      stack[depth++] = suffix[entry];
      entry = prefix[entry];
    }
    const firstByte = entry;
    stack[depth++] = firstByte;
    const emitted = depth + (code === next ? 1 : 0);
    if (written + emitted > expectedBytes) throw new CodecError(`LZW data decode to more than the ${expectedBytes} bytes expected`);
    while (depth > 0) out[written++] = stack[--depth];
    if (code === next) out[written++] = firstByte;
    if (previous >= 0 && next < 4096) {
      prefix[next] = previous;
      suffix[next] = firstByte;
      length[next] = length[previous] + 1;
      next++;
    }
    previous = code;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return written === expectedBytes ? out : out.subarray(0, written);
}

/** PackBits run-length decoding (TIFF compression 32773). */
export function decodePackBits(input: Uint8Array, expectedBytes: number): Uint8Array {
  const out = new Uint8Array(expectedBytes);
  let written = 0;
  for (let i = 0; i < input.length && written < expectedBytes;) {
    const header = (input[i++] << 24) >> 24;
    if (header >= 0) {
      const count = header + 1;
      out.set(input.subarray(i, i + count), written);
      written += count;
      i += count;
    } else if (header !== -128) {
      out.fill(input[i++], written, written - header + 1);
      written += -header + 1;
    }
  }
  return out;
}

/** TIFF deflate is zlib-wrapped; a few writers store raw deflate streams, so fall back to that. */
export function decodeDeflate(input: Uint8Array): Uint8Array {
  try {
    return inflateSync(input);
  } catch {
    try {
      return inflateRawSync(input);
    } catch (error) {
      throw new CodecError(`deflate data do not inflate: ${(error as Error).message}`);
    }
  }
}
