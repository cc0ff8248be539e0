/** In-place radix-2 complex FFT of one row or column (length a power of two); `inverse` leaves out the 1/n. */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / size;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let start = 0; start < n; start += size) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < size / 2; k++) {
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        [cr, ci] = [cr * wr - ci * wi, cr * wi + ci * wr];
      }
    }
  }
}

/** 2-D FFT of a row-major width × height complex image (both powers of two), in place. */
export function fft2d(re: Float64Array, im: Float64Array, widthPx: number, heightPx: number, inverse = false): void {
  const rowRe = new Float64Array(widthPx);
  const rowIm = new Float64Array(widthPx);
  for (let y = 0; y < heightPx; y++) {
    const base = y * widthPx;
    rowRe.set(re.subarray(base, base + widthPx));
    rowIm.set(im.subarray(base, base + widthPx));
    fft1d(rowRe, rowIm, inverse);
    re.set(rowRe, base);
    im.set(rowIm, base);
  }
  const colRe = new Float64Array(heightPx);
  const colIm = new Float64Array(heightPx);
  for (let x = 0; x < widthPx; x++) {
    for (let y = 0; y < heightPx; y++) {
      colRe[y] = re[y * widthPx + x];
      colIm[y] = im[y * widthPx + x];
    }
    fft1d(colRe, colIm, inverse);
    for (let y = 0; y < heightPx; y++) {
      re[y * widthPx + x] = colRe[y];
      im[y * widthPx + x] = colIm[y];
    }
  }
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** The largest power of two not above n. */
export const powerOfTwoBelow = (n: number): number => 2 ** Math.floor(Math.log2(n));
