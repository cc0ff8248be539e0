/** `<raw>.ome.tif|.ome.zarr` → `<raw>.<kind>.ome.tif`: beside the raw data set, never replacing it. */
export function derivedPath(rawPath: string, kind: string): string {
  return `${rawPath.replace(/(\.ome)?\.(tiff?|zarr)$/i, '')}.${kind}.ome.tif`;
}
