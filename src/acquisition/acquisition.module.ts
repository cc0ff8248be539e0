import { Module } from '@nestjs/common';
import { HardwareModule } from '../hardware/hardware.module';
import { LiveService } from './live/live.service';

@Module({ imports: [HardwareModule], providers: [LiveService], exports: [LiveService] })
export class AcquisitionModule {}
