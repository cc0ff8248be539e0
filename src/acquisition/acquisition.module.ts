import { Module } from '@nestjs/common';
import { HardwareModule } from '../hardware/hardware.module';
import { LiveService } from './live/live.service';
import { AcquisitionService } from './service/acquisition.service';
import { SINK_FACTORY, openRawDataset } from './service/dataset-sink';
import { ENGINE_FACTORY, microManagerEngine } from './engine/engine-factory';

@Module({
  imports: [HardwareModule],
  providers: [
    LiveService,
    AcquisitionService,
    { provide: SINK_FACTORY, useValue: openRawDataset },
    { provide: ENGINE_FACTORY, useValue: microManagerEngine },
  ],
  exports: [LiveService, AcquisitionService],
})
export class AcquisitionModule {}
