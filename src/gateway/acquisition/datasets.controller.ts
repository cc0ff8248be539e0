import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { resolve } from 'node:path';
import { listDatasets } from '../../acquisition/storage/list-datasets';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { GatewaySettings } from '../server.config';

/** The data sets already in the storage directory, for the dashboard's list of past runs. */
@ApiTags('acquisitions')
@ApiBearerAuth()
@Controller('api/datasets')
export class DatasetsController {
  constructor(@Inject(SCOPE_CONFIG) private readonly config: GatewaySettings) {}

  @Get()
  @ApiOperation({ summary: 'Data sets in storage.directory, newest first: name, modified, size, format' })
  async list() {
    const directory = resolve(this.config.storage.directory);
    return { directory, datasets: await listDatasets(directory) };
  }
}
