/**
 * Reusable temporary arrays for the per-frame image work: a 2048² frame needs several 16 MB intermediates, and
 * allocating them anew every frame costs more in garbage collection than the arithmetic. Each name is one
 * temporary; a caller uses it only until it returns (the code is single-threaded and no such call nests in one
 * using the same name).
 */
const pool = new Map<string, Float32Array>();

/** A Float32Array of `length` for temporary use under `name`, zero-filled. */
export function scratchArray(name: string, length: number): Float32Array {
  let buffer = pool.get(name);
  if (!buffer || buffer.length < length) {
    buffer = new Float32Array(length);
    pool.set(name, buffer);
    return buffer;
  }
  const view = buffer.length === length ? buffer : buffer.subarray(0, length);
  return view.fill(0);
}
