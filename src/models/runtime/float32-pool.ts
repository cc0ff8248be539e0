/**
 * Float32 buffers handed out by length and given back for the next frame; a buffer is never held twice. Large
 * fresh buffers are not free: each page is faulted in and zeroed on first touch (on this project's CI machines
 * about 60 ms for 16 MB, against 4 ms to refill a reused one), so frame-sized scratch is kept from frame to frame.
 */
export class Float32Pool {
  private readonly free: Float32Array[] = [];

  constructor(private readonly keep = 4) {}

  take(length: number): Float32Array {
    const at = this.free.findIndex((b) => b.length === length);
    return at >= 0 ? this.free.splice(at, 1)[0] : new Float32Array(length);
  }

  give(buffer: Float32Array): void {
    if (this.free.includes(buffer)) return;
    if (this.free.length >= this.keep) this.free.shift();
    this.free.push(buffer);
  }
}
