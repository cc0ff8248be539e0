import { WorkerHost } from '../../models/runtime/worker-host';
import { buildPreview } from './build-preview';
import type { BuiltPreview, PreviewRequest } from './preview-messages';
import type { StreamImage, StreamPixels } from './stream-types';

type PreviewHost = WorkerHost<null, PreviewRequest, BuiltPreview>;

/** A copy the worker may take (the frame itself is raw data others still read, and is never detached). */
function transferableCopy(pixels: StreamPixels): StreamPixels {
  return pixels.slice();
}

/**
 * Builds client previews in a worker thread, so contrast stretches and downsampling never run on the thread
 * that receives camera frames. If the worker cannot start or dies, previews are built here instead and
 * `fallbackReason` says why (the dashboard still gets its images).
 */
export class PreviewBuilder {
  private host?: Promise<PreviewHost | undefined>;
  fallbackReason?: string;

  constructor(private readonly useWorker = true) {}

  async build(image: StreamImage, maxSizePx: number): Promise<BuiltPreview> {
    const host = this.useWorker ? await this.start() : undefined;
    const request = { width: image.width, height: image.height, maxSizePx };
    if (!host) return buildPreview({ ...request, pixels: image.pixels, qualityMap: image.qualityMap });
    const pixels = transferableCopy(image.pixels);
    const qualityMap = image.qualityMap ? { ...image.qualityMap, pixels: transferableCopy(image.qualityMap.pixels) } : undefined;
    const transfer = [pixels.buffer as ArrayBuffer, ...(qualityMap ? [qualityMap.pixels.buffer as ArrayBuffer] : [])];
    try {
      return await host.request({ ...request, pixels, ...(qualityMap ? { qualityMap } : {}) }, transfer);
    } catch (err) {
      this.fallbackReason = `preview worker failed: ${(err as Error).message}`;
      this.host = Promise.resolve(undefined);
      return buildPreview({ ...request, pixels: image.pixels, qualityMap: image.qualityMap });
    }
  }

  async close(): Promise<void> {
    const host = await this.host;
    this.host = Promise.resolve(undefined);
    await host?.close();
  }

  private start(): Promise<PreviewHost | undefined> {
    this.host ??= WorkerHost.start<null, PreviewRequest, BuiltPreview>({
      directory: __dirname,
      entry: 'preview-worker',
      callerFile: __filename,
      workerData: null,
      label: 'preview worker',
    }).catch((err: Error) => {
      this.fallbackReason = `preview worker did not start: ${err.message}`;
      return undefined;
    });
    return this.host;
  }
}
