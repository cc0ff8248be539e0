import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, writeNpy } from './npy';
import { planes } from './planes';
import { fromModelLayout, toModelLayout } from './tensor-layout';
import { UNET2D_NUCLEI_BROAD } from './testing/zoo-packages';
import { extractTile, placeTile, planAxis, reflectIndex } from './tiling';

describe('tiling', () => {
  it('covers an axis with tiles inside the image, each owning its part without the halo', () => {
    const plan = planAxis(700, 512, 32, 16);
    expect(plan.tiles).toEqual([
      { start: 0, ownFrom: 0, ownTo: 480 },
      { start: 188, ownFrom: 480, ownTo: 700 },
    ]);
    expect(planAxis(500, 512, 32).tiles).toEqual([{ start: 0, ownFrom: 0, ownTo: 500 }]);
    expect(planAxis(500, 512, 32).padBefore).toBe(6);
    expect(() => planAxis(700, 64, 32)).toThrow(/leave nothing to use/);
  });

  it('stitches tiles of an identity network back into the image exactly, padding by reflection', () => {
    const image = planes(2, 37, 53, Float32Array.from({ length: 2 * 37 * 53 }, (_, i) => i));
    const yPlan = planAxis(37, 16, 3, 4);
    const xPlan = planAxis(53, 64, 3, 4);
    const out = planes(2, 37, 53);
    for (const ty of yPlan.tiles) for (const tx of xPlan.tiles) placeTile(out, extractTile(image, yPlan, xPlan, ty, tx), yPlan, xPlan, ty, tx);
    expect(Array.from(out.data)).toEqual(Array.from(image.data));
    expect([reflectIndex(-1, 5), reflectIndex(5, 5), reflectIndex(-6, 5)]).toEqual([1, 3, 2]);
  });

  it('converts between any axis order and channel-first planes', () => {
    const p = planes(2, 2, 3, Float32Array.from([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]));
    const nhwc = toModelLayout(p, ['b', 'y', 'x', 'c']);
    expect(nhwc.dims).toEqual([1, 2, 3, 2]);
    expect(Array.from(nhwc.data)).toEqual([0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15]);
    expect(Array.from(fromModelLayout(nhwc.data, nhwc.dims, ['b', 'y', 'x', 'c']).data)).toEqual(Array.from(p.data));
    const xy = toModelLayout(p, ['c', 'x', 'y', 'b']);
    expect(Array.from(fromModelLayout(xy.data, xy.dims, ['c', 'x', 'y', 'b']).data)).toEqual(Array.from(p.data));
  });
});

describe('.npy', () => {
  it("reads the package's test tensor and round-trips what it writes", () => {
    const npy = readNpy(readFileSync(join(UNET2D_NUCLEI_BROAD, 'test_input.npy')));
    expect(npy.shape).toEqual([1, 1, 512, 512]);
    expect(npy.dtype).toBe('<f4');
    expect(npy.data.length).toBe(512 * 512);
    const back = readNpy(writeNpy(Float32Array.from([1.5, -2, 3]), [3, 1]));
    expect(back.shape).toEqual([3, 1]);
    expect(Array.from(back.data)).toEqual([1.5, -2, 3]);
  });

  it('reads big-endian and integer arrays, refuses what it cannot read', () => {
    const header = "{'descr': '>u2', 'fortran_order': False, 'shape': (2,), }";
    const bytes = new Uint8Array(10 + header.length + 4);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    bytes.set(new TextEncoder().encode(header), 10);
    bytes.set([0x01, 0x00, 0xff, 0xff], 10 + header.length);
    expect(Array.from(readNpy(bytes).data)).toEqual([256, 65535]);
    expect(() => readNpy(new Uint8Array(20))).toThrow(/not a \.npy file/);
    expect(() => readNpy(Uint8Array.from([...bytes.subarray(0, 10), ...new TextEncoder().encode(header.replace('>u2', '<c8'))]))).toThrow(/dtype <c8 is not read/);
  });
});
