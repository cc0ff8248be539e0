import { basename } from 'node:path';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import { ModelsService } from '../models.service';
import { WorkerZooPredictor } from '../zoo/worker-zoo-predictor';
import { zooBranch, type ZooBranchStats, type ZooFrameQuality, type ZooPredictedFrame } from '../zoo/zoo-branch';
import { DerivedPlanesRecorder, recordDerived } from './derived-planes-recorder';
import { derivedPath } from './derived-path';
import { PerAcquisition } from './per-acquisition';

export interface LiveZooRun {
  readonly acquisitionId: string;
  /** The data set of the first output channel; the others and the index lie beside it. */
  readonly path: string;
  readonly framesPredicted: number;
  /** Frames whose output held NaN or infinite values (saved and streamed, flagged). */
  readonly framesFlagged: number;
  readonly error?: string;
}

export interface LiveZooStatus {
  readonly enabled: boolean;
  readonly model: string | null;
  readonly runtime: string | null;
  readonly input: string | null;
  /** Why the model is not running (refused on load, worker gone …). */
  readonly error: string | null;
  readonly branch: ZooBranchStats | null;
  readonly runs: readonly LiveZooRun[];
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'model';

/**
 * A BioImage Model Zoo model on every acquisition while `models.zoo.live` is on, under CARE's rules: raw frames
 * reach it only once written, through a bounded branch that skips (and counts) what the model cannot keep up
 * with, inference in a worker thread; each output channel is saved as a float32 data set linked to the raw one
 * (`<raw>.zoo-<model>[-<channel>].ome.tif`, index `.json` with every frame's figures), and streamed beside raw on
 * `predicted$`. A model refused on load (checksum, test output not reproduced, weights we cannot run) is logged
 * and reported in health; acquisitions go on without it.
 */
@Injectable()
export class LiveZooService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveZoo');
  private readonly predictedSubject = new Subject<ZooPredictedFrame>();
  readonly predicted$: Observable<ZooPredictedFrame> = this.predictedSubject.asObservable();
  private readonly runs = new Map<string, LiveZooRun>();
  private readonly perAcquisition: PerAcquisition;
  private predictor?: Promise<WorkerZooPredictor>;
  private loaded?: WorkerZooPredictor;
  private loadError: string | null = null;
  private branchStats: ZooBranchStats | null = null;
  /** What the configuration names, then the package's own name once it has loaded. */
  private readonly titleSubject: BehaviorSubject<string>;

  constructor(
    private readonly acquisitions: AcquisitionService,
    private readonly models: ModelsService,
  ) {
    this.perAcquisition = new PerAcquisition(acquisitions);
    const configured = models.settings.zoo.model;
    this.titleSubject = new BehaviorSubject(configured ? basename(configured) : 'Zoo model');
  }

  onModuleInit(): void {
    const settings = this.models.settings.zoo;
    if (!settings.live || !settings.model) return;
    this.predictor = this.start(settings.model);
    this.predictor.catch(() => undefined);
    this.perAcquisition.onEachStart((acquisitionId) => this.predictLive(acquisitionId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.perAcquisition.close();
    await this.predictor?.then((predictor) => predictor.close(), () => undefined);
  }

  /** Whether acquisitions are processed live (models.zoo.live). */
  get enabled(): boolean {
    return this.models.settings.zoo.live;
  }

  /** The title now, and again once the package has loaded and its own name is known. */
  get title$(): Observable<string> {
    return this.titleSubject.asObservable();
  }

  status(): LiveZooStatus {
    return {
      enabled: this.enabled,
      model: this.loaded?.modelId ?? this.models.settings.zoo.model ?? null,
      runtime: this.loaded?.runtimeName ?? null,
      input: this.loaded?.shape.input ?? null,
      error: this.loadError,
      branch: this.branchStats,
      runs: [...this.runs.values()].slice(-5),
    };
  }

  /** Resolves once the acquisition's predictions are saved and their data sets closed. */
  async settled(acquisitionId: string): Promise<LiveZooRun | undefined> {
    await this.perAcquisition.settled(acquisitionId);
    return this.runs.get(acquisitionId);
  }

  private async start(model: string): Promise<WorkerZooPredictor> {
    const { output, threads } = this.models.settings.zoo;
    try {
      const folder = this.models.store.locate(model);
      const predictor = await WorkerZooPredictor.start(folder, threads ? { threads } : {}, output);
      this.loaded = predictor;
      this.titleSubject.next(predictor.modelId);
      this.models.loaded.register({ id: predictor.modelId, task: 'zoo', runtime: predictor.runtimeName, input: predictor.shape.input, latencyOf: 'frame into the branch → prediction back' });
      this.logger.log({ msg: `Zoo model "${predictor.modelId}" runs live on ${predictor.runtimeName}; input ${predictor.shape.input}`, folder });
      return predictor;
    } catch (err) {
      this.loadError = (err as Error).message;
      this.logger.error({ msg: `Zoo model refused, acquisitions go on without it: ${this.loadError}` });
      throw err;
    }
  }

  private async predictLive(acquisitionId: string): Promise<void> {
    const raw = this.acquisitions.dataset(acquisitionId);
    const frames$ = this.perAcquisition.writtenFrames(acquisitionId);
    let path = '';
    let predicted = 0;
    let flagged = 0;
    const record = (error?: string) => this.runs.set(acquisitionId, { acquisitionId, path, framesPredicted: predicted, framesFlagged: flagged, ...(error ? { error } : {}) });
    try {
      const predictor = await this.predictor!;
      const channels = predictor.shape.outputChannels;
      if (channels === null) throw new Error(`Zoo model "${predictor.modelId}" does not fix its output channel count; it cannot be saved live`);
      const names = Array.from({ length: channels }, (_, c) => predictor.shape.channelNames?.[c] ?? `channel ${c}`);
      const base = derivedPath(raw.path, `zoo-${slug(predictor.modelId)}`);
      const datasets = names.map((name, c) => ({
        key: String(c),
        path: channels === 1 ? base : base.replace(/\.ome\.tif$/, `-${slug(name)}.ome.tif`),
        description: `${predictor.modelId} output (${name})`,
      }));
      path = datasets[0].path;
      const recorder = await DerivedPlanesRecorder.open<ZooFrameQuality>({
        raw: { acquisitionId, path: raw.path, uuid: raw.datasetUuid },
        layout: raw.layout,
        datasets,
        indexPath: base.replace(/\.ome\.tif$/, '.json'),
        kind: 'zoo-prediction',
        producer: `BioImage Model Zoo model ${predictor.modelId} on ${predictor.runtimeName}`,
      });
      record();
      this.logger.log({ msg: `predicting acquisition ${acquisitionId} live with ${predictor.modelId} → ${path}`, acquisitionId });
      const write = (frame: ZooPredictedFrame) => {
        if (frame.channels.length !== channels) throw new Error(`Zoo model "${predictor.modelId}" gave ${frame.channels.length} channel(s) for raw frame ${frame.source.sequence}, expected ${channels}`);
        return recorder.write(frame.source, Object.fromEntries(frame.channels.map((pixels, c) => [String(c), pixels])), frame, frame.quality);
      };
      await new Promise<void>((resolve, reject) => {
        frames$
          .pipe(
            zooBranch(predictor, this.models.settings.zoo.policy, (stats) => (this.branchStats = stats)),
            recordDerived(write, () => recorder.close({ model: { id: predictor.modelId, runtime: predictor.runtimeName, input: predictor.shape.input }, channels: names })),
          )
          .subscribe({
            next: (frame) => {
              predicted++;
              if (frame.quality.flagged) flagged++;
              record();
              this.models.loaded.latency('zoo', predictor.modelId, frame.quality.latencyMs);
              this.predictedSubject.next(frame);
            },
            complete: resolve,
            error: reject,
          });
      });
    } catch (err) {
      const message = (err as Error).message;
      record(message);
      this.logger.error({ msg: `live Zoo prediction of acquisition ${acquisitionId} stopped: ${message}`, acquisitionId });
    }
  }
}
