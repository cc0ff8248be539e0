import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import type { RawFormat } from '../../acquisition/service/dataset-sink';

const FORMATS: readonly RawFormat[] = ['ome-tiff', 'ome-zarr'];

/** Acquisitions over REST: start a useq-schema MDASequence, follow it, pause, resume, cancel. */
@Controller('api/acquisitions')
export class AcquisitionsController {
  constructor(private readonly acquisitions: AcquisitionService) {}

  /**
   * Starts a plan; `?format=ome-zarr` overrides the configured raw format, `?force=true` starts even when the data
   * set is estimated not to fit on the disk, `?sequencing=hardware` runs time points without waits as camera bursts
   * (`?sequencing=software` one event at a time; unset: as configured in `acquisition.sequencing`).
   * Answers the id and the data set path.
   */
  @Post()
  async start(
    @Body() plan: unknown,
    @Query('format') format?: string,
    @Query('force') force?: string,
    @Query('sequencing') sequencing?: string,
  ) {
    if (sequencing !== undefined && sequencing !== 'hardware' && sequencing !== 'software') {
      throw new BadRequestException(`sequencing: "${sequencing}" is not one of hardware, software`);
    }
    if (format !== undefined && !FORMATS.includes(format as RawFormat)) {
      throw new BadRequestException(`format: "${format}" is not one of ${FORMATS.join(', ')}`);
    }
    const status = await this.acquisitions.start(plan, {
      format: format as RawFormat | undefined,
      force: force === 'true' || force === '1',
      hardwareSequencing: sequencing === undefined ? undefined : sequencing === 'hardware',
    });
    return { id: status.acquisitionId, ...status };
  }

  @Get()
  list() {
    return this.acquisitions.list();
  }

  @Get(':id')
  status(@Param('id') id: string) {
    return this.acquisitions.status(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string) {
    return this.act(id, (run) => run.pause());
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string) {
    return this.act(id, (run) => run.resume());
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string) {
    return this.act(id, (run) => run.cancel());
  }

  private act(id: string, action: (run: ReturnType<AcquisitionService['get']>) => void) {
    action(this.acquisitions.get(id));
    return this.acquisitions.status(id);
  }
}
