import { Module } from '@nestjs/common';
import { HardwareModule } from '../hardware/hardware.module';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { ModelsModule } from '../models/models.module';
import { HealthController } from './health.controller';
import { PageController } from './page.controller';
import { LiveGateway } from './live.gateway';

@Module({
  imports: [HardwareModule, AcquisitionModule, ModelsModule],
  controllers: [HealthController, PageController],
  providers: [LiveGateway],
})
export class GatewayModule {}
