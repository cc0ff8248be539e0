/**
 * The Mersenne Twister as numpy's legacy `RandomState(seed)` runs it, so that a seeded RandomPoints plan visits
 * the same points as in useq-schema.
 */
export class Mt19937 {
  private readonly state = new Uint32Array(624);
  private position = 624;

  constructor(seed: number) {
    this.state[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const previous = this.state[i - 1] ^ (this.state[i - 1] >>> 30);
      // 1812433253 * previous + i, modulo 2^32, without losing bits to floating point.
      this.state[i] = (Math.imul(1812433253, previous) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.position >= 624) this.twist();
    let y = this.state[this.position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's random_sample(): a double in [0, 1) from 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  private twist(): void {
    const mt = this.state;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = (mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.position = 0;
  }
}
