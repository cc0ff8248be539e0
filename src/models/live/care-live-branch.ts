import { careBranch, type CareRestoredFrame } from '../care/live/care-branch';
import { recordRestored, RestoredRecorder } from '../care/live/restored-recorder';
import { WorkerCareRestorer } from '../care/live/worker-restorer';
import type { ModelsService } from '../models.service';
import { rawLinkOf } from './derived-planes-recorder';
import { derivedPath } from './derived-path';
import type { LiveBranch } from './live-branch';
import { StartedOnce } from './started-once';

export interface CareRunFigures {
  readonly framesRestored: number;
}

/**
 * CARE on every acquisition while `models.care.live` is on: restored planes and their uncertainty are saved as a
 * data set linked to the raw one, and streamed with the raw frame's metadata and the predicted PSNR.
 */
export function careLiveBranch(models: ModelsService): LiveBranch<CareRestoredFrame, CareRunFigures> {
  const { model, policy, live } = models.settings.care;
  const restorer = new StartedOnce(() => WorkerCareRestorer.start(model, { directories: models.store.directories, runtime: models.settings.runtime }), true);
  return {
    name: 'care',
    enabled: live,
    configuredModel: model,
    start: async () => ({ id: model, runtime: (await restorer.get()).runtimeName, input: models.inputShapeOf(model), latencyOf: 'frame into the branch → restored frame back' }),
    open: async (raw, report) => {
      const restore = careBranch(await restorer.get(), policy, report);
      const recorder = await RestoredRecorder.open({ path: derivedPath(raw.path, 'care'), raw: rawLinkOf(raw), layout: raw.layout });
      return { path: recorder.files.restored, process: (frames$) => frames$.pipe(restore, recordRestored(recorder)) };
    },
    initialFigures: { framesRestored: 0 },
    addFigures: (figures) => ({ framesRestored: figures.framesRestored + 1 }),
    latencyMs: (frame) => frame.quality.latencyMs,
    close: () => restorer.close(),
  };
}
