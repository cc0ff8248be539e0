import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { LiveModelsService } from './live/live-models.service';
import { ModelsService } from './models.service';

@Module({ imports: [AcquisitionModule], providers: [ModelsService, LiveModelsService], exports: [ModelsService, LiveModelsService] })
export class ModelsModule {}
