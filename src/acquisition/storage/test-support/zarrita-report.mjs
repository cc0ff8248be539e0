// Reads an OME-Zarr v3 store with zarrita (the maintained JavaScript zarr, an implementation other than ours) and
// prints what it found as one JSON line: argv: store path, image group ("" for the root).
import { createHash } from 'node:crypto';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';

const [path, group] = process.argv.slice(2);
const root = zarr.root(new FileSystemStore(path));
const image = await zarr.open.v3(group ? root.resolve(group) : root, { kind: 'group' });
const ome = image.attrs.ome;
const multiscale = ome.multiscales[0];
const array = await zarr.open.v3(image.resolve(multiscale.datasets[0].path), { kind: 'array' });
const [T, C, Z] = array.shape;
const planeMd5 = {};
for (let t = 0; t < T; t++)
  for (let c = 0; c < C; c++)
    for (let z = 0; z < Z; z++) {
      const plane = await zarr.get(array, [t, c, z, null, null]);
      planeMd5[`${t}/${c}/${z}`] = createHash('md5')
        .update(new Uint8Array(plane.data.buffer, plane.data.byteOffset, plane.data.byteLength))
        .digest('hex');
    }
process.stdout.write(
  `${JSON.stringify({
    version: ome.version,
    shape: array.shape,
    dtype: array.dtype,
    chunks: array.chunks,
    axes: multiscale.axes.map((a) => a.name),
    scale: multiscale.datasets[0].coordinateTransformations[0].scale,
    channels: ome.omero.channels.map((c) => c.label),
    scope: image.attrs.scope ?? {},
    planeMd5,
  })}\n`,
);
