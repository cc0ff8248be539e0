import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import type { CareRestoredFrame } from '../care/live/care-branch';
import { ModelsService } from '../models.service';
import type { StormLiveFrame } from '../smlm/live/storm-live';
import type { ZooPredictedFrame } from '../zoo/zoo-branch';
import { careLiveBranch, type CareLiveBranch, type CareRunFigures } from './care-live-branch';
import type { LiveBranchStatus } from './live-branch';
import { LiveBranchRunner } from './live-branch-runner';
import { stormLiveBranch, type StormRunFigures } from './storm-live-branch';
import { zooLiveBranch, type ZooRunFigures } from './zoo-live-branch';

/**
 * The models run live on every acquisition, each as a bounded branch of its written frames that skips (and counts)
 * what the model cannot keep up with: CARE restoration, STORM super-resolution, a BioImage Model Zoo model.
 */
@Injectable()
export class LiveModelsService implements OnModuleInit, OnModuleDestroy {
  readonly care: LiveBranchRunner<CareRestoredFrame, CareRunFigures>;
  readonly storm: LiveBranchRunner<StormLiveFrame, StormRunFigures>;
  readonly zoo: LiveBranchRunner<ZooPredictedFrame, ZooRunFigures>;

  private readonly careBranch: CareLiveBranch;

  constructor(acquisitions: AcquisitionService, models: ModelsService) {
    this.careBranch = careLiveBranch(models);
    this.care = new LiveBranchRunner(this.careBranch, acquisitions, models.loaded);
    this.storm = new LiveBranchRunner(stormLiveBranch(models), acquisitions, models.loaded);
    this.zoo = new LiveBranchRunner(zooLiveBranch(models), acquisitions, models.loaded);
  }

  private get branches() {
    return [this.care, this.storm, this.zoo];
  }

  onModuleInit(): void {
    for (const branch of this.branches) branch.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.branches.map((branch) => branch.close()));
  }

  /**
   * Hot-swaps the live CARE model (a folder or a name) without stopping a running acquisition: its next frames are
   * restored by the new model, each restored frame naming the model that made it. Answers the new model's id.
   */
  async deployCare(model: string): Promise<string> {
    const info = await this.careBranch.swapModel(model);
    this.care.modelReplaced(info);
    return info.id;
  }

  /** Every branch, the same fields for each (/api/health `ml.live`). */
  status(): LiveBranchStatus[] {
    return this.branches.map((branch) => branch.status());
  }
}
