import { careBranch, type CareRestoredFrame } from '../care/live/care-branch';
import { recordRestored, RestoredRecorder } from '../care/live/restored-recorder';
import { SwappableRestorer } from '../care/live/swappable-restorer';
import { WorkerCareRestorer } from '../care/live/worker-restorer';
import type { ModelsService } from '../models.service';
import { rawLinkOf } from './derived-planes-recorder';
import { derivedPath } from './derived-path';
import type { LiveBranch, LiveModelInfo } from './live-branch';
import { StartedOnce } from './started-once';

export interface CareRunFigures {
  readonly framesRestored: number;
}

/** The CARE branch, whose model can be replaced while acquisitions run (a model trained in the service). */
export interface CareLiveBranch extends LiveBranch<CareRestoredFrame, CareRunFigures> {
  /** Starts `model` (a folder or a name) in a worker, then routes the next frames to it; answers what runs now. */
  swapModel(model: string): Promise<LiveModelInfo>;
}

/**
 * CARE on every acquisition while `models.care.live` is on: restored planes and their uncertainty are saved as a
 * data set linked to the raw one, and streamed with the raw frame's metadata and the predicted PSNR.
 */
export function careLiveBranch(models: ModelsService): CareLiveBranch {
  const { model, policy, live } = models.settings.care;
  const startWorker = (name: string) => WorkerCareRestorer.start(name, { directories: models.store.directories, runtime: models.settings.runtime });
  const restorer = new StartedOnce(async () => new SwappableRestorer(await startWorker(model)), true);
  const infoOf = (id: string, runtime: string, name: string): LiveModelInfo => ({
    id,
    runtime,
    input: models.inputShapeOf(name),
    latencyOf: 'frame into the branch → restored frame back',
  });
  return {
    name: 'care',
    enabled: live,
    configuredModel: model,
    start: async () => infoOf(model, (await restorer.get()).runtimeName, model),
    open: async (raw, report) => {
      const restore = careBranch(await restorer.get(), policy, report);
      const recorder = await RestoredRecorder.open({ path: derivedPath(raw.path, 'care'), raw: rawLinkOf(raw), layout: raw.layout });
      return { path: recorder.files.restored, process: (frames$) => frames$.pipe(restore, recordRestored(recorder)) };
    },
    swapModel: async (next) => {
      const started = await startWorker(next);
      const swappable = await restorer.get().catch(() => undefined);
      if (!swappable) {
        await started.close();
        throw new Error(`the live CARE branch has no model running to replace (it failed to start)`);
      }
      await swappable.swap(started);
      return infoOf(started.modelId, started.runtimeName, next);
    },
    initialFigures: { framesRestored: 0 },
    addFigures: (figures) => ({ framesRestored: figures.framesRestored + 1 }),
    latencyMs: (frame) => frame.quality.latencyMs,
    close: () => restorer.close(),
  };
}
