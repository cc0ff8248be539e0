import type { ModelsService } from '../models.service';
import { WorkerZooPredictor } from '../zoo/worker-zoo-predictor';
import { zooBranch, type ZooFrameQuality, type ZooPredictedFrame } from '../zoo/zoo-branch';
import { DerivedPlanesRecorder, rawLinkOf, recordDerived } from './derived-planes-recorder';
import { derivedPath } from './derived-path';
import type { LiveBranch } from './live-branch';
import { StartedOnce } from './started-once';

export interface ZooRunFigures {
  readonly framesPredicted: number;
  /** Frames whose output held NaN or infinite values (saved and streamed, flagged). */
  readonly framesFlagged: number;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'model';

/** One float32 data set per output channel: `<raw>.zoo-<model>[-<channel>].ome.tif`. */
function channelDatasets(base: string, modelId: string, names: readonly string[]) {
  return names.map((name, c) => ({
    key: String(c),
    path: names.length === 1 ? base : base.replace(/\.ome\.tif$/, `-${slug(name)}.ome.tif`),
    description: `${modelId} output (${name})`,
  }));
}

/**
 * A BioImage Model Zoo model on every acquisition while `models.zoo.live` is on: each output channel is saved
 * beside the raw data set, linked to it, with an index of every frame's figures, and streamed beside raw. A model
 * refused on load (checksum, test output not reproduced, weights we cannot run) is reported; acquisitions go on.
 */
export function zooLiveBranch(models: ModelsService): LiveBranch<ZooPredictedFrame, ZooRunFigures> {
  const { live, model, output, threads, policy } = models.settings.zoo;
  const predictor = new StartedOnce(async () => WorkerZooPredictor.start(models.store.locate(model!), threads ? { threads } : {}, output));
  return {
    name: 'zoo',
    enabled: live && model !== undefined,
    configuredModel: model ?? null,
    start: async () => {
      const started = await predictor.get();
      return { id: started.modelId, runtime: started.runtimeName, input: started.shape.input, latencyOf: 'frame into the branch → prediction back' };
    },
    open: async (raw, report) => {
      const zoo = await predictor.get();
      const channels = zoo.shape.outputChannels;
      if (channels === null) throw new Error(`Zoo model "${zoo.modelId}" does not fix its output channel count; it cannot be saved live`);
      const names = Array.from({ length: channels }, (_, c) => zoo.shape.channelNames?.[c] ?? `channel ${c}`);
      const base = derivedPath(raw.path, `zoo-${slug(zoo.modelId)}`);
      const datasets = channelDatasets(base, zoo.modelId, names);
      const recorder = await DerivedPlanesRecorder.open<ZooFrameQuality>({
        raw: rawLinkOf(raw),
        layout: raw.layout,
        datasets,
        indexPath: base.replace(/\.ome\.tif$/, '.json'),
        kind: 'zoo-prediction',
        producer: `BioImage Model Zoo model ${zoo.modelId} on ${zoo.runtimeName}`,
      });
      const write = (frame: ZooPredictedFrame) => {
        if (frame.channels.length !== channels) throw new Error(`Zoo model "${zoo.modelId}" gave ${frame.channels.length} channel(s) for raw frame ${frame.source.sequence}, expected ${channels}`);
        return recorder.write(frame.source, Object.fromEntries(frame.channels.map((pixels, c) => [String(c), pixels])), frame, frame.quality);
      };
      const close = () => recorder.close({ model: { id: zoo.modelId, runtime: zoo.runtimeName, input: zoo.shape.input }, channels: names });
      return { path: datasets[0].path, process: (frames$) => frames$.pipe(zooBranch(zoo, policy, report), recordDerived(write, close)) };
    },
    initialFigures: { framesPredicted: 0, framesFlagged: 0 },
    addFigures: (figures, frame) => ({ framesPredicted: figures.framesPredicted + 1, framesFlagged: figures.framesFlagged + (frame.quality.flagged ? 1 : 0) }),
    latencyMs: (frame) => frame.quality.latencyMs,
    close: () => predictor.close(),
  };
}
