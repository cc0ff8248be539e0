import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { LiveCareService } from './live/live-care.service';
import { LiveStormService } from './live/live-storm.service';
import { LiveZooService } from './live/live-zoo.service';
import { ModelsService } from './models.service';

@Module({ imports: [AcquisitionModule], providers: [ModelsService, LiveCareService, LiveStormService, LiveZooService], exports: [ModelsService, LiveCareService, LiveStormService, LiveZooService] })
export class ModelsModule {}
