import type { FileHandle } from 'node:fs/promises';
import { StorageFullError, StorageWriteError } from './storage-errors';

/** Writes every byte of `buffers` at `position`; a full disk often first shows as a short write, then as ENOSPC. */
export async function writeFully(handle: FileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
  let pending = buffers.filter((buffer) => buffer.byteLength > 0);
  let offset = position;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending as Uint8Array[], offset);
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    offset += bytesWritten;
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const buffer of pending) {
      if (skip >= buffer.byteLength) {
        skip -= buffer.byteLength;
        continue;
      }
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
    pending = rest;
  }
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

export const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/** Turns a file-system failure into the storage error a caller can act on, naming the file and the frame. */
export function storageError(error: unknown, action: string, path: string, frameIndex?: number): StorageWriteError {
  if (error instanceof StorageWriteError) return error;
  const code = errorCode(error);
  const frame = frameIndex === undefined ? '' : ` (frame ${frameIndex})`;
  const reason = error instanceof Error ? error.message : String(error);
  if (code && FULL_CODES.has(code)) {
    return new StorageFullError(`${action} ${path}${frame}: no space left on the device (${code})`, path, frameIndex, error);
  }
  return new StorageWriteError(`${action} ${path}${frame} failed: ${reason}`, path, frameIndex, error);
}
