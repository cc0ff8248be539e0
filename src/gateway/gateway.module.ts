import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { HardwareModule } from '../hardware/hardware.module';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { ModelsModule } from '../models/models.module';
import { HealthController } from './health.controller';
import { PageController } from './page.controller';
import { SecurityService } from './security/security';
import { HttpSecurityMiddleware } from './security/http-security.middleware';
import { StreamsModule } from './streams/streams.module';
import { StreamsGateway } from './streams/streams.gateway';
import { SocketControls } from './streams/socket-controls';
import { CoreStreamsPublisher } from './streams/core-streams.publisher';
import { ModelStreamsPublisher } from './streams/model-streams.publisher';
import { AgentModule } from '../agent/agent.module';
import { DevicesController } from './control/devices.controller';
import { ConfigGroupsController } from './control/config-groups.controller';
import { StageController } from './control/stage.controller';
import { CameraController } from './control/camera.controller';
import { DatasetsController } from './acquisition/datasets.controller';
import { IlluminationController } from './control/illumination.controller';
import { MicroscopeState } from './control/microscope-state';
import { AuditLog } from './audit/audit-log';
import { AuditController } from './audit/audit.controller';
import { AcquisitionsController } from './acquisition/acquisitions.controller';
import { PlansController } from './acquisition/plans.controller';
import { AgentController } from './agent/agent.controller';
import { CareTrainingModule } from '../models/care/care-training.module';
import { CalibrationsController } from './care/calibrations.controller';
import { TrainingsController } from './care/trainings.controller';
import { CareTrainingPublisher } from './streams/care-training.publisher';
import { JobsPublisher } from './streams/jobs.publisher';
import { DomainErrorFilter } from './http/domain-error.filter';
import { APP_FILTER } from '@nestjs/core';
import { JobsModule } from '../jobs/jobs.module';
import { JobsController } from './jobs/jobs.controller';

@Module({
  imports: [HardwareModule, AcquisitionModule, ModelsModule, AgentModule, StreamsModule, CareTrainingModule, JobsModule],
  controllers: [
    HealthController,
    PageController,
    DevicesController,
    ConfigGroupsController,
    StageController,
    CameraController,
    DatasetsController,
    IlluminationController,
    AuditController,
    AcquisitionsController,
    PlansController,
    AgentController,
    CalibrationsController,
    TrainingsController,
    JobsController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: DomainErrorFilter },
    SecurityService,
    AuditLog,
    StreamsGateway,
    SocketControls,
    CoreStreamsPublisher,
    ModelStreamsPublisher,
    CareTrainingPublisher,
    JobsPublisher,
    MicroscopeState,
  ],
  exports: [StreamsModule],
})
export class GatewayModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every route of every module, the API docs included.
    consumer.apply(HttpSecurityMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
