import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import type { ScopeConfig } from './scope-config';
import { HardwareModule } from './hardware/hardware.module';
import { AcquisitionModule } from './acquisition/acquisition.module';
import { ModelsModule } from './models/models.module';
import { AgentModule } from './agent/agent.module';
import { GatewayModule } from './gateway/gateway.module';
import { JobsModule } from './jobs/jobs.module';

@Module({})
export class AppModule {
  static forRoot(config: ScopeConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), HardwareModule, AcquisitionModule, ModelsModule, AgentModule, JobsModule, GatewayModule],
    };
  }
}
