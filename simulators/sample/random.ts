import { standardNormalFromBits } from './normal-table';
import { poissonFromBits } from './poisson';

/**
 * Seeded random numbers: xoshiro128** (fast in 32-bit integer arithmetic, good statistics, the same sequence on
 * every platform). Normal and Poisson variates are built for speed because every camera pixel draws two of them.
 */
export class Random {
  /** xoshiro128** state words a, b, c, d; a typed array keeps every access monomorphic and unboxed. */
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    // splitmix32 spreads the seed over the four state words.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (let i = 0; i < 4; i++) this.state[i] = next();
    if (this.state[3] === 0) this.state[3] = 1;
  }

  /** 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const state = this.state;
    const b = state[1];
    const b5 = Math.imul(b, 5);
    const result = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
    const t = b << 9;
    const c = state[2] ^ state[0];
    const d = state[3] ^ b;
    state[1] = b ^ c;
    state[0] = state[0] ^ d;
    state[2] = c ^ t;
    state[3] = (d << 11) | (d >>> 21);
    return result;
  }

  /** Fills `target` with the next 32-bit draws; the same sequence as calling nextUint32, several times faster. */
  fillUint32(target: Uint32Array | Int32Array): void {
    const state = this.state;
    let a = state[0];
    let b = state[1];
    let c = state[2];
    let d = state[3];
    for (let i = 0; i < target.length; i++) {
      const b5 = Math.imul(b, 5);
      target[i] = Math.imul((b5 << 7) | (b5 >>> 25), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
    }
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /** Standard normal, by a tabulated inverse CDF (see normal-table.ts): one 32-bit draw per variate. */
  normal(): number {
    return standardNormalFromBits(this.nextUint32(), this);
  }

  /** Poisson: exact inversion below a mean of 30, normal approximation above (see poisson.ts). */
  poisson(mean: number): number {
    return poissonFromBits(mean, this.nextUint32(), this);
  }
}
