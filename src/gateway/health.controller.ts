import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SCOPE_CONFIG } from '../config/config.module';
import type { GatewaySettings } from './server.config';
import { HardwareService } from '../hardware/hardware.service';
import { ModelsService } from '../models/models.service';
import { LiveService } from '../acquisition/live/live.service';
import { AgentService } from '../agent/agent.service';
import { LiveModelsService } from '../models/live/live-models.service';
import { JobsService } from '../jobs/jobs.service';

const { version } = require('../../package.json') as { version: string };

@ApiTags('health')
@ApiBearerAuth()
@Controller('api')
export class HealthController {
  constructor(
    @Inject(SCOPE_CONFIG) private readonly config: GatewaySettings,
    private readonly hardware: HardwareService,
    private readonly models: ModelsService,
    private readonly live: LiveService,
    private readonly liveModels: LiveModelsService,
    private readonly agent: AgentService,
    private readonly jobs: JobsService,
  ) {}

  @Get('health')
  @ApiOperation({
    summary: 'Mode, Micro-Manager connection, devices, live statistics, ML runtimes and live model branches, agent, job queue',
  })
  async health() {
    const runtime = this.models.runtime();
    const connection = this.hardware.connection();
    return {
      status: connection.state === 'connected' ? 'ok' : 'degraded',
      version,
      mode: this.config.simulation.enabled ? 'simulation' : 'hardware',
      microManager: connection,
      devices: this.hardware.devices(),
      /** The devices and properties that control light, which the guard holds within the limits. */
      lightGuard: this.hardware.lightWatch(),
      live: this.live.stats(),
      ml: {
        runtime: runtime.selected,
        preference: runtime.preference,
        candidates: runtime.candidates,
        onnx: runtime.onnx,
        tfjs: runtime.tfjs,
        training: runtime.training,
        models: runtime.models,
        /** Models running live: runtime, input shape, recent per-frame latency. */
        loaded: this.models.loaded.list(),
        /** The live branches (CARE, STORM, Zoo): model, counters, recent runs, failures with the latest message, latency. */
        live: this.liveModels.status(),
      },
      agent: this.agent.status(),
      /** The offline job queue: backend, whether it answers, chunks waiting, active and failed for good. */
      jobs: await this.jobs.health(),
      uptimeS: Math.round(process.uptime()),
    };
  }
}
