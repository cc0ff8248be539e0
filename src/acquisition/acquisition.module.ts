import { Module } from '@nestjs/common';
import { HardwareModule } from '../hardware/hardware.module';
import { LiveService } from './live/live.service';
import { AcquisitionService } from './service/acquisition.service';
import { SINK_FACTORY, openRawDataset } from './service/dataset-sink';

@Module({
  imports: [HardwareModule],
  providers: [LiveService, AcquisitionService, { provide: SINK_FACTORY, useValue: openRawDataset }],
  exports: [LiveService, AcquisitionService],
})
export class AcquisitionModule {}
