import { map } from 'rxjs';
import type { ModelsService } from '../models.service';
import { stormLive, type StormLiveFrame } from '../smlm/live/storm-live';
import type { FrameBatchProcessor } from '../smlm/reconstruct/frame-processor';
import { cropCentre } from './crop-frame';
import { derivedPath } from './derived-path';
import type { LiveBranch } from './live-branch';
import { saveStormImage } from './storm-image-files';
import { StartedOnce } from './started-once';
import { WorkerStormProcessor } from './worker-storm-processor';

/** Both methods render on the ×8 grid of the Deep-STORM paper. */
const UPSAMPLING = 8;

export interface StormRunFigures {
  readonly framesUsed: number;
  readonly framesSkipped: number;
  readonly rsp: number | null;
}

/**
 * Live super-resolution while `models.storm.live` is on: the centred region of every written raw frame goes
 * through the bounded STORM branch; the growing image is streamed with its SQUIRREL figures, and when the
 * acquisition ends the image, its error map and its quality are saved beside the raw data set, linked to it.
 */
export function stormLiveBranch(models: ModelsService): LiveBranch<StormLiveFrame, StormRunFigures> {
  const { live, method, model, roiPx } = models.settings.storm;
  const worker = new StartedOnce(() => WorkerStormProcessor.start({ method, model, directories: models.store.directories, runtime: models.settings.runtime }));
  // frames go into the bounded branch from the first one, even while the worker is still starting: what it
  // cannot take is skipped and counted there, never buffered here
  const processor: FrameBatchProcessor = {
    method,
    upsampling: UPSAMPLING,
    preferredBatch: method === 'classical' ? 1 : 4,
    process: async (frames, firstFrame, grid) => (await worker.get()).process(frames, firstFrame, grid),
  };
  return {
    name: 'storm',
    enabled: live,
    configuredModel: model,
    start: async () => {
      const started = await worker.get();
      const latencyOf = 'newest frame acquired → super-resolved image out (lag)';
      if (started.method === 'classical') return { id: 'classical', runtime: started.runtimeName, input: `centred ${roiPx}×${roiPx} px of each frame`, latencyOf, withoutModel: true };
      return { id: model, runtime: started.runtimeName, input: models.inputShapeOf(model), latencyOf };
    },
    open: async (raw, report) => {
      const path = derivedPath(raw.path, 'storm');
      return {
        path,
        process: (frames$) => frames$.pipe(map((frame) => cropCentre(frame, roiPx)), stormLive({ processor, ...report })),
        finish: async (last) => {
          if (!last) throw new Error('no frame was super-resolved');
          await saveStormImage(path, last, raw);
        },
      };
    },
    initialFigures: { framesUsed: 0, framesSkipped: 0, rsp: null },
    addFigures: (_, image) => ({ framesUsed: image.quality.framesUsed, framesSkipped: image.quality.framesSkipped, rsp: image.quality.rsp }),
    latencyMs: (image) => image.quality.lagMs,
    close: () => worker.close(),
  };
}
