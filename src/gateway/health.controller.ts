import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ScopeConfig } from '../config/config.schema';
import { HardwareService } from '../hardware/hardware.service';
import { ModelsService } from '../models/models.service';
import { LiveService } from '../acquisition/live/live.service';

const { version } = require('../../package.json') as { version: string };

@ApiTags('health')
@ApiBearerAuth()
@Controller('api')
export class HealthController {
  constructor(
    @Inject(SCOPE_CONFIG) private readonly config: ScopeConfig,
    private readonly hardware: HardwareService,
    private readonly models: ModelsService,
    private readonly live: LiveService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Mode, Micro-Manager connection, devices, live statistics, ML runtime' })
  health() {
    const runtime = this.models.runtime();
    const connection = this.hardware.connection();
    return {
      status: connection.state === 'connected' ? 'ok' : 'degraded',
      version,
      mode: this.config.simulation.enabled ? 'simulation' : 'hardware',
      microManager: connection,
      devices: this.hardware.devices(),
      live: this.live.stats(),
      ml: { runtime: runtime.selected, preference: runtime.preference, candidates: runtime.candidates },
      uptimeS: Math.round(process.uptime()),
    };
  }
}
