import { Module } from '@nestjs/common';
import { AcquisitionModule } from '../acquisition/acquisition.module';
import { AgentService } from './agent.service';
import { AgentEvaluationStore } from './evaluation-store';

/** The smart-microscopy agent (P5): steers illumination only through acquisition hooks and the hardware envelope. */
@Module({
  imports: [AcquisitionModule],
  providers: [AgentService, AgentEvaluationStore],
  exports: [AgentService, AgentEvaluationStore],
})
export class AgentModule {}
