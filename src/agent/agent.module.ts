import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { AgentService } from './agent.service';

/** The smart-microscopy agent (P5): steers illumination only through acquisition hooks and the hardware envelope. */
@Module({
  imports: [AcquisitionModule],
  providers: [AgentService],
  exports: [AgentService],
})
export class AgentModule {}
