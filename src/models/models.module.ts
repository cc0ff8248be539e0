import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { LiveCareService } from './live/live-care.service';
import { ModelsService } from './models.service';

@Module({ imports: [AcquisitionModule], providers: [ModelsService, LiveCareService], exports: [ModelsService, LiveCareService] })
export class ModelsModule {}
