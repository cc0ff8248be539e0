import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TrainingJobsService } from '../../models/care/jobs/training-jobs.service';
import { trainingRequestSchema, type TrainingRequest } from '../../models/care/jobs/training-request';
import { openApiSchema, ZodBodyPipe } from '../control/zod-body.pipe';

/** CARE / Noise2Void training jobs in a worker thread, with progress, cancel and resume after a restart. */
@ApiTags('care')
@ApiBearerAuth()
@Controller('api/care')
export class TrainingsController {
  constructor(private readonly jobs: TrainingJobsService) {}

  @Post('trainings')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Train on a calibration, a low/ high/ folder, or noisy frames (mode n2v) (operator); 400 names what is wrong with the data',
  })
  @ApiBody({ schema: openApiSchema(trainingRequestSchema) })
  start(@Body(new ZodBodyPipe(trainingRequestSchema)) request: TrainingRequest) {
    return this.jobs.start(request);
  }

  @Get('trainings')
  @ApiOperation({ summary: 'Every training job known to this service' })
  list() {
    return this.jobs.list();
  }

  @Get('trainings/:id')
  @ApiOperation({ summary: 'A training: state, epoch, step, training and validation loss, ETA, evaluation table' })
  get(@Param('id') id: string) {
    return this.jobs.get(id);
  }

  @Delete('trainings/:id')
  @ApiOperation({ summary: 'Cancel a training (operator)' })
  cancel(@Param('id') id: string) {
    return this.jobs.cancel(id);
  }

  @Post('models/:id/deploy')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hot-swap a trained model into the live CARE branch (operator); acquisitions go on' })
  deploy(@Param('id') id: string) {
    return this.jobs.deployModel(id);
  }
}
