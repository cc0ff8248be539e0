import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HardwareNotReadyError } from '../../hardware/hardware.service';
import { LightLimitError } from '../../hardware/safety';
import { PlanValidationError, PlanSyntaxError } from '../plans';
import { StorageWriteError } from '../storage';
import { AcquisitionBusyError, AcquisitionNotFoundError, AcquisitionService } from './acquisition.service';
import type { RawFormat } from './dataset-sink';
import { UnsupportedCameraFormatError } from './plan-layout';
import { InsufficientSpaceError, UnknownHardwareError } from './preflight';

function translate(err: unknown): never {
  if (err instanceof PlanValidationError) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: err.message, issues: err.issues });
  }
  if (err instanceof PlanSyntaxError) throw new BadRequestException(err.message);
  if (err instanceof AcquisitionNotFoundError) throw new NotFoundException(`id: ${err.message}`);
  if (err instanceof AcquisitionBusyError || err instanceof UnsupportedCameraFormatError) throw new ConflictException(err.message);
  if (err instanceof HardwareNotReadyError) throw new ServiceUnavailableException(err.message);
  if (err instanceof UnknownHardwareError || err instanceof LightLimitError) throw new BadRequestException(err.message);
  if (err instanceof InsufficientSpaceError) {
    throw new HttpException(
      { statusCode: HttpStatus.INSUFFICIENT_STORAGE, error: err.name, message: err.message, neededBytes: err.neededBytes, freeBytes: err.freeBytes },
      HttpStatus.INSUFFICIENT_STORAGE,
    );
  }
  if (err instanceof StorageWriteError) {
    throw new HttpException({ statusCode: HttpStatus.INSUFFICIENT_STORAGE, error: err.name, message: err.message, path: err.path }, HttpStatus.INSUFFICIENT_STORAGE);
  }
  throw err;
}

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
  async start(@Body() plan: unknown, @Query('format') format?: string, @Query('force') force?: string, @Query('sequencing') sequencing?: string) {
    if (sequencing !== undefined && sequencing !== 'hardware' && sequencing !== 'software') {
      throw new BadRequestException(`sequencing: "${sequencing}" is not one of hardware, software`);
    }
    if (format !== undefined && !FORMATS.includes(format as RawFormat)) {
      throw new BadRequestException(`format: "${format}" is not one of ${FORMATS.join(', ')}`);
    }
    try {
      const status = await this.acquisitions.start(plan, { format: format as RawFormat | undefined, force: force === 'true' || force === '1', hardwareSequencing: sequencing === undefined ? undefined : sequencing === 'hardware' });
      return { id: status.acquisitionId, ...status };
    } catch (err) {
      translate(err);
    }
  }

  @Get()
  list() {
    return this.acquisitions.list();
  }

  @Get(':id')
  status(@Param('id') id: string) {
    try {
      return this.acquisitions.status(id);
    } catch (err) {
      translate(err);
    }
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
    try {
      action(this.acquisitions.get(id));
      return this.acquisitions.status(id);
    } catch (err) {
      translate(err);
    }
  }
}
