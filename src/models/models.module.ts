import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { LiveCareService } from './live/live-care.service';
import { LiveStormService } from './live/live-storm.service';
import { ModelsService } from './models.service';

@Module({ imports: [AcquisitionModule], providers: [ModelsService, LiveCareService, LiveStormService], exports: [ModelsService, LiveCareService, LiveStormService] })
export class ModelsModule {}
