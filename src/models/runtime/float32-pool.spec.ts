import { Float32Pool } from './float32-pool';

describe('a pool of frame-sized float32 buffers', () => {
  it('hands a given-back buffer out again for the same length, and never to two takers at once', () => {
    const pool = new Float32Pool();
    const a = pool.take(16);
    const b = pool.take(16);
    expect(b).not.toBe(a);
    pool.give(a);
    pool.give(a);
    expect(pool.take(16)).toBe(a);
    expect(pool.take(16)).not.toBe(a);
    expect(pool.take(8)).toHaveLength(8);
  });

  it('keeps only the most recent buffers it is given', () => {
    const pool = new Float32Pool(2);
    const given = [1, 2, 3].map((n) => pool.take(n));
    given.forEach((buffer) => pool.give(buffer));
    expect(pool.take(1)).not.toBe(given[0]);
    expect(pool.take(2)).toBe(given[1]);
    expect(pool.take(3)).toBe(given[2]);
  });
});
