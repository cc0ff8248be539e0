import { writeFile } from 'node:fs/promises';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { map, Subject, type Observable } from 'rxjs';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import { defaultStormIo } from '../smlm/cli/storm-io';
import { stormLive, type StormLiveFrame } from '../smlm/live/storm-live';
import type { FrameBatchProcessor } from '../smlm/reconstruct/frame-processor';
import { ModelsService } from '../models.service';
import { cropCentre } from './crop-frame';
import { derivedPath } from './derived-path';
import { PerAcquisition } from './per-acquisition';
import { WorkerStormProcessor } from './worker-storm-processor';

/** Both methods render on the ×8 grid of the Deep-STORM paper. */
const UPSAMPLING = 8;

export interface LiveStormRun {
  readonly acquisitionId: string;
  readonly path: string;
  readonly framesUsed: number;
  readonly framesSkipped: number;
  readonly rsp: number | null;
  readonly error?: string;
}

/**
 * Live super-resolution while `models.storm.live` is on: the centred region of every written raw frame goes
 * through the bounded STORM branch; the growing image is streamed on `superResolved$` (with the SQUIRREL figures
 * and the raw frame's metadata), and when the acquisition ends the image, its error map and its quality are saved
 * beside the raw data set, linked to it.
 */
@Injectable()
export class LiveStormService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveStorm');
  private readonly imagesSubject = new Subject<StormLiveFrame>();
  readonly superResolved$: Observable<StormLiveFrame> = this.imagesSubject.asObservable();
  private readonly runs = new Map<string, LiveStormRun>();
  private readonly perAcquisition: PerAcquisition;
  private processor?: Promise<WorkerStormProcessor>;

  constructor(
    private readonly acquisitions: AcquisitionService,
    private readonly models: ModelsService,
  ) {
    this.perAcquisition = new PerAcquisition(acquisitions);
  }

  onModuleInit(): void {
    const settings = this.models.settings.storm;
    if (!settings.live) return;
    this.processor = WorkerStormProcessor.start({
      method: settings.method,
      model: settings.model,
      directories: this.models.store.directories,
      runtime: this.models.settings.runtime,
    });
    this.processor.then(
      (processor) => {
        if (processor.method === 'deep-storm') this.models.registerLoaded(settings.model, 'storm', processor.runtimeName, 'newest frame acquired → super-resolved image out (lag)');
      },
      (err: Error) => this.logger.error({ msg: `STORM model could not open: ${err.message}` }),
    );
    this.perAcquisition.onEachStart((acquisitionId) => this.reconstruct(acquisitionId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.perAcquisition.close();
    await this.processor?.then((processor) => processor.close(), () => undefined);
  }

  get method(): 'deep-storm' | 'classical' {
    return this.models.settings.storm.method;
  }

  /** Whether acquisitions are processed live (models.storm.live). */
  get enabled(): boolean {
    return this.models.settings.storm.live;
  }

  status(): LiveStormRun[] {
    return [...this.runs.values()];
  }

  /** Resolves once the acquisition's super-resolved image is saved. */
  async settled(acquisitionId: string): Promise<LiveStormRun | undefined> {
    await this.perAcquisition.settled(acquisitionId);
    return this.runs.get(acquisitionId);
  }

  private async reconstruct(acquisitionId: string): Promise<void> {
    const { roiPx } = this.models.settings.storm;
    const raw = this.acquisitions.dataset(acquisitionId);
    const frames$ = this.perAcquisition.writtenFrames(acquisitionId);
    const path = derivedPath(raw.path, 'storm');
    let latest: StormLiveFrame | undefined;
    try {
      // frames go into the bounded branch from the first one, even while the worker is still starting: what it
      // cannot take is skipped and counted there, never buffered here
      const started = this.processor!;
      const { method } = this.models.settings.storm;
      const processor: FrameBatchProcessor = {
        method,
        upsampling: UPSAMPLING,
        preferredBatch: method === 'classical' ? 1 : 4,
        process: async (frames, firstFrame, grid) => (await started).process(frames, firstFrame, grid),
      };
      await new Promise<void>((resolve, reject) => {
        frames$
          .pipe(
            map((frame) => cropCentre(frame, roiPx)),
            stormLive({ processor, onError: (err) => this.logger.warn({ msg: `STORM batch failed: ${(err as Error).message}`, acquisitionId }) }),
          )
          .subscribe({
            next: (image) => {
              latest = image;
              this.models.loaded.latency('storm', this.models.settings.storm.model, image.quality.lagMs);
              this.runs.set(acquisitionId, this.summary(acquisitionId, path, image));
              this.imagesSubject.next(image);
            },
            complete: resolve,
            error: reject,
          });
      });
      if (!latest) throw new Error('no frame was super-resolved');
      await this.save(path, latest, raw);
      this.logger.log({ msg: `super-resolved acquisition ${acquisitionId} → ${path}`, acquisitionId, frames: latest.quality.framesUsed });
    } catch (err) {
      const message = (err as Error).message;
      this.runs.set(acquisitionId, { ...(latest ? this.summary(acquisitionId, path, latest) : { acquisitionId, path, framesUsed: 0, framesSkipped: 0, rsp: null }), error: message });
      this.logger.error({ msg: `live STORM of acquisition ${acquisitionId} stopped: ${message}`, acquisitionId });
    }
  }

  private summary(acquisitionId: string, path: string, image: StormLiveFrame): LiveStormRun {
    return { acquisitionId, path, framesUsed: image.quality.framesUsed, framesSkipped: image.quality.framesSkipped, rsp: image.quality.rsp };
  }

  private async save(path: string, image: StormLiveFrame, raw: { path: string; datasetUuid: string }): Promise<void> {
    const { quality } = image;
    const derivedFrom = { path: raw.path, uuid: raw.datasetUuid };
    const description = `${quality.method} super-resolution of the centred ${image.source.width}×${image.source.height} px of ${raw.path}, ${quality.framesUsed} frames`;
    const pixels = image.pixels instanceof Float32Array ? image.pixels : Float32Array.from(image.pixels);
    await defaultStormIo.writeImage(path, { pixels, widthPx: image.width, heightPx: image.height, pixelSizeUm: quality.pixelSizeNm / 1000, description, derivedFrom });
    if (quality.errorMap) {
      await defaultStormIo.writeImage(path.replace(/\.ome\.tif$/, '.error-map.ome.tif'), {
        pixels: quality.errorMap,
        widthPx: image.source.width,
        heightPx: image.source.height,
        pixelSizeUm: image.source.pixelSizeUm,
        description: `SQUIRREL error map of ${path}`,
        derivedFrom,
      });
    }
    const { errorMap, ...figures } = quality;
    await writeFile(path.replace(/\.ome\.tif$/, '.quality.json'), `${JSON.stringify({ ...figures, hasErrorMap: errorMap !== null, source: raw.path }, null, 2)}\n`);
  }
}
