import { appendFile } from 'node:fs/promises';
import type { RawDataset } from '../../acquisition/service/acquisition.service';
import { openOmeTiffWriter, type FrameWriter } from '../../acquisition/storage';
import type { CareRestoredFrame } from '../care/live/care-branch';

/** `<raw>.ome.tif|.ome.zarr` → `<raw>.<kind>.ome.tif`: beside the raw data set, never replacing it. */
export function derivedPath(rawPath: string, kind: string): string {
  return `${rawPath.replace(/(\.ome)?\.(tiff?|zarr)$/i, '')}.${kind}.ome.tif`;
}

/**
 * A restored data set linked to its raw one: for each raw channel, the restored plane and its uncertainty map as two
 * channels ("DAPI restored", "DAPI uncertainty"), float32 in the raw frame's units; each plane's quality figures in
 * a JSON-lines file beside it. Frames the model skipped stay blank planes, so every plane sits where its raw one is.
 */
export class RestoredDataset {
  private constructor(
    private readonly writer: FrameWriter,
    readonly qualityPath: string,
  ) {}

  static async open(raw: RawDataset, kind: string, modelId: string): Promise<RestoredDataset> {
    const layout = raw.layout;
    const channels = layout.channelNames ?? Array.from({ length: layout.sizes.c }, (_, c) => `Channel ${c}`);
    const path = derivedPath(raw.path, kind);
    const writer = await openOmeTiffWriter(path, {
      ...layout,
      name: `${layout.name ?? 'acquisition'} (${kind}: ${modelId})`,
      dtype: 'float32',
      sizes: { ...layout.sizes, c: layout.sizes.c * 2 },
      channelNames: channels.flatMap((name) => [`${name} restored`, `${name} uncertainty`]),
      significantBits: undefined,
      description: `${kind} by ${modelId} of ${raw.path}`,
      derivedFrom: { path: raw.path, uuid: raw.datasetUuid },
    });
    return new RestoredDataset(writer, `${path.replace(/\.ome\.tif$/, '')}.quality.jsonl`);
  }

  get path(): string {
    return this.writer.path;
  }

  get framesWritten(): number {
    return this.writer.framesWritten / 2;
  }

  async write(restored: CareRestoredFrame): Promise<void> {
    const { source } = restored;
    const c = source.index.c ?? 0;
    const meta = { ...source, width: restored.width, height: restored.height };
    await this.writer.write({ pixels: restored.pixels, meta: { ...meta, index: { ...source.index, c: 2 * c } } });
    await this.writer.write({ pixels: restored.uncertainty, meta: { ...meta, index: { ...source.index, c: 2 * c + 1 } } });
    await appendFile(this.qualityPath, `${JSON.stringify({ sequence: source.sequence, index: source.index, ...restored.quality })}\n`);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
