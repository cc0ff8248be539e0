import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { PixelArray } from '../../../hardware/devices';

/**
 * Debian's Python with tifffile, zarr and numpy: the reference readers our files must satisfy. The first python3 on
 * PATH (pyenv) lacks Debian's packages, so the path is fixed. CI installs them (scripts/install-system-deps.sh).
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const DEBIAN_PACKAGES = 'python3-tifffile python3-zarr python3-numpy';

/** Fails (never skips) with the install command when the reference readers are missing. */
export function requireDebianPython(): void {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import tifffile, zarr, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${DEBIAN_PYTHON} cannot import tifffile, zarr and numpy (${probe.error?.message ?? probe.stderr.trim()}); ` +
        `install them: apt-get install -y ${DEBIAN_PACKAGES}`,
    );
  }
}

/** Runs a Python snippet that prints one JSON document; its stderr is included when it fails. */
export function runPython<T>(script: string, args: readonly string[]): T {
  const result = spawnSync(DEBIAN_PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (result.error || result.status !== 0) {
    throw new Error(`python check failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

export const md5Of = (pixels: PixelArray): string =>
  createHash('md5')
    .update(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength))
    .digest('hex');

/** What tifffile makes of an OME-TIFF: series shape/axes unsqueezed, OME Pixels attributes, per-plane MD5s. */
export interface TifffileReport {
  readonly isOme: boolean;
  readonly isBigtiff: boolean;
  readonly pages: number;
  readonly axes: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly pixels: Record<string, string | null>;
  readonly channels: (string | null)[];
  readonly planeElements: number;
  readonly firstPlane: Record<string, string | null>;
  readonly annotation: Record<string, string>;
  /** MD5 of each series plane, keyed "t/c/z". */
  readonly planeMd5: Record<string, string>;
  /** MD5 of each page in file order (all linked IFDs, listed in the XML or not). */
  readonly pageMd5: string[];
}

export const TIFFFILE_REPORT = `
import sys, json, hashlib, itertools, tifffile, xml.etree.ElementTree as ET
path = sys.argv[1]
ns = {'ome': 'http://www.openmicroscopy.org/Schemas/OME/2016-06'}
with tifffile.TiffFile(path) as tif:
    out = {'isOme': tif.is_ome, 'isBigtiff': tif.is_bigtiff, 'pages': len(tif.pages)}
    out['pageMd5'] = [hashlib.md5(page.asarray().tobytes()).hexdigest() for page in tif.pages]
    series = tif.series[0]
    axes, shape = series.get_axes(False), list(series.get_shape(False))
    data = series.asarray().reshape(shape)
    out.update(axes=axes, shape=shape, dtype=str(series.dtype))
    size = dict(zip(axes, shape))
    md5 = {}
    for t, c, z in itertools.product(range(size.get('T', 1)), range(size.get('C', 1)), range(size.get('Z', 1))):
        index = tuple({'T': t, 'C': c, 'Z': z}.get(a, slice(None) if a in 'YX' else 0) for a in axes)
        md5[f'{t}/{c}/{z}'] = hashlib.md5(data[index].tobytes()).hexdigest()
    out['planeMd5'] = md5
    root = ET.fromstring(tif.ome_metadata)
    pixels = root.find('ome:Image/ome:Pixels', ns)
    keys = ['DimensionOrder', 'Type', 'SizeX', 'SizeY', 'SizeZ', 'SizeC', 'SizeT', 'PhysicalSizeX', 'PhysicalSizeXUnit', 'PhysicalSizeZ', 'SignificantBits']
    out['pixels'] = {k: pixels.get(k) for k in keys}
    out['channels'] = [c.get('Name') for c in pixels.findall('ome:Channel', ns)]
    planes = pixels.findall('ome:Plane', ns)
    out['planeElements'] = len(planes)
    out['firstPlane'] = dict(planes[0].attrib) if planes else {}
    out['annotation'] = {m.get('K'): m.text for m in root.findall('.//ome:MapAnnotation/ome:Value/ome:M', ns)}
print(json.dumps(out))
`;

export interface ZarrReport {
  readonly shape: number[];
  readonly dtype: string;
  readonly chunks: number[];
  readonly axes: string[];
  readonly scale: number[];
  readonly channels: string[];
  readonly scope: Record<string, unknown>;
  readonly planeMd5: Record<string, string>;
}

/** What zarr-python makes of one NGFF image group (argv: store path, image group path inside it or ""). */
export const ZARR_REPORT = `
import sys, json, hashlib, itertools, zarr
store = zarr.open(sys.argv[1], mode='r')
image = store[sys.argv[2]] if sys.argv[2] else store
attrs = image.attrs.asdict()
multiscale = attrs['multiscales'][0]
array = image[multiscale['datasets'][0]['path']]
out = {'shape': list(array.shape), 'dtype': str(array.dtype), 'chunks': list(array.chunks)}
out['axes'] = [a['name'] for a in multiscale['axes']]
out['scale'] = multiscale['datasets'][0]['coordinateTransformations'][0]['scale']
out['channels'] = [c['label'] for c in attrs['omero']['channels']]
out['scope'] = attrs.get('scope', {})
T, C, Z = array.shape[:3]
out['planeMd5'] = {f'{t}/{c}/{z}': hashlib.md5(array[t, c, z].tobytes()).hexdigest() for t, c, z in itertools.product(range(T), range(C), range(Z))}
print(json.dumps(out))
`;
