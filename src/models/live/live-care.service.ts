import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import type { CareRestoredFrame } from '../care/live/care-branch';
import { ModelsService } from '../models.service';
import { recordRestored, RestoredRecorder } from '../care/live/restored-recorder';
import { derivedPath } from './derived-path';
import { PerAcquisition } from './per-acquisition';

export interface LiveCareRun {
  readonly acquisitionId: string;
  readonly path: string;
  readonly framesRestored: number;
  readonly error?: string;
}

/**
 * CARE on every acquisition while `models.care.live` is on: raw frames reach it only once written, through a bounded
 * branch that skips (and counts) what the model cannot keep up with; restored planes and their uncertainty are saved
 * as a data set linked to the raw one, and streamed (with the raw frame's metadata and the quality figure) on `restored$`.
 */
@Injectable()
export class LiveCareService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveCare');
  private readonly restoredSubject = new Subject<CareRestoredFrame>();
  readonly restored$: Observable<CareRestoredFrame> = this.restoredSubject.asObservable();
  private readonly runs = new Map<string, LiveCareRun>();
  private readonly perAcquisition: PerAcquisition;

  constructor(
    private readonly acquisitions: AcquisitionService,
    private readonly models: ModelsService,
  ) {
    this.perAcquisition = new PerAcquisition(acquisitions);
  }

  onModuleInit(): void {
    if (!this.models.settings.care.live) return;
    // start the model's worker now, so the first acquisition does not wait for it
    this.models.careBranch().catch((err: Error) => this.logger.error({ msg: `CARE model could not start: ${err.message}` }));
    this.perAcquisition.onEachStart((acquisitionId) => this.restore(acquisitionId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.perAcquisition.close();
  }

  /** Resolves once the restored data set of an acquisition is complete and closed. */
  async settled(acquisitionId: string): Promise<LiveCareRun | undefined> {
    await this.perAcquisition.settled(acquisitionId);
    return this.runs.get(acquisitionId);
  }

  /** Whether acquisitions are processed live (models.care.live). */
  get enabled(): boolean {
    return this.models.settings.care.live;
  }

  status(): LiveCareRun[] {
    return [...this.runs.values()];
  }

  private async restore(acquisitionId: string): Promise<void> {
    const raw = this.acquisitions.dataset(acquisitionId);
    const modelId = this.models.settings.care.model;
    const frames$ = this.perAcquisition.writtenFrames(acquisitionId);
    let recorder: RestoredRecorder | undefined;
    let restoredCount = 0;
    const record = (error?: string) =>
      this.runs.set(acquisitionId, { acquisitionId, path: recorder?.files.restored ?? '', framesRestored: restoredCount, ...(error ? { error } : {}) });
    try {
      const branch = await this.models.careBranch();
      recorder = await RestoredRecorder.open({ path: derivedPath(raw.path, 'care'), raw: { acquisitionId, path: raw.path, uuid: raw.datasetUuid }, layout: raw.layout });
      record();
      this.logger.log({ msg: `restoring acquisition ${acquisitionId} live with ${modelId} → ${recorder.files.restored}`, acquisitionId });
      await new Promise<void>((resolve, reject) => {
        frames$.pipe(branch, recordRestored(recorder!)).subscribe({
          next: (restored) => {
            restoredCount++;
            record();
            this.models.loaded.latency('care', modelId, restored.quality.latencyMs);
            this.restoredSubject.next(restored);
          },
          complete: resolve,
          error: reject,
        });
      });
    } catch (err) {
      const message = (err as Error).message;
      record(message);
      this.logger.error({ msg: `live CARE of acquisition ${acquisitionId} stopped: ${message}`, acquisitionId });
    }
  }
}
