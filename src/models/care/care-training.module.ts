import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../../acquisition/acquisition.module';
import { HardwareModule } from '../../hardware/hardware.module';
import { LiveModelsService } from '../live/live-models.service';
import { ModelsModule } from '../models.module';
import { CalibrationService } from './calibration/calibration.service';
import { CARE_DEPLOYER } from './jobs/care-deployer';
import { TrainingJobsService } from './jobs/training-jobs.service';

/** CARE calibrated on this microscope and trained in the background; deployed into the live CARE branch. */
@Module({
  imports: [HardwareModule, AcquisitionModule, ModelsModule],
  providers: [CalibrationService, TrainingJobsService, { provide: CARE_DEPLOYER, useExisting: LiveModelsService }],
  exports: [CalibrationService, TrainingJobsService],
})
export class CareTrainingModule {}
