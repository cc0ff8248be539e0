import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { PlanValidationError } from '../plans';
import { AcquisitionBusyError, AcquisitionNotFoundError, AcquisitionService } from './acquisition.service';

function translate(err: unknown): never {
  if (err instanceof PlanValidationError) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: err.message, issues: err.issues });
  }
  if (err instanceof AcquisitionNotFoundError) throw new NotFoundException(err.message);
  if (err instanceof AcquisitionBusyError) throw new ConflictException(err.message);
  throw err;
}

@Controller('api/acquisitions')
export class AcquisitionsController {
  constructor(private readonly acquisitions: AcquisitionService) {}

  /** Starts a useq-schema MDASequence; answers its id and initial progress. */
  @Post()
  async start(@Body() plan: unknown) {
    try {
      const progress = await this.acquisitions.start(plan);
      return { id: progress.acquisitionId, ...progress };
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
      return this.acquisitions.get(id).progress();
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
      const run = this.acquisitions.get(id);
      action(run);
      return run.progress();
    } catch (err) {
      translate(err);
    }
  }
}
