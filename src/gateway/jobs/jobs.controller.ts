import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { jobSubmissionSchema, type JobSubmission } from '../../jobs/job-submission';
import { JobsService } from '../../jobs/jobs.service';
import { openApiSchema, ZodBodyPipe } from '../control/zod-body.pipe';

/** Offline Deep-STORM and CARE jobs over data sets in the storage, in chunks (on Redis workers, or in-process). */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  @ApiOperation({
    summary: 'Queue a storm or denoise job over a data set under the storage (operator); 400 names the field at fault',
  })
  @ApiBody({ schema: openApiSchema(jobSubmissionSchema) })
  submit(@Body(new ZodBodyPipe(jobSubmissionSchema)) request: JobSubmission) {
    return this.jobs.submit(request);
  }

  @Get()
  @ApiOperation({ summary: 'Every job: state, chunks, result; 404 when jobs are not configured' })
  async list() {
    return { jobs: await this.jobs.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: "A job's state, per chunk state, workers and retries, and its merged result" })
  get(@Param('id') id: string) {
    return this.jobs.get(id);
  }
}
