import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CalibrationService } from '../../models/care/calibration/calibration.service';
import { calibrationRequestSchema, type CalibrationRequest } from '../../models/care/calibration/calibration-request';
import { Caller } from '../control/caller.decorator';
import { openApiSchema, ZodBodyPipe } from '../control/zod-body.pipe';

/** CARE calibration pairs acquired on this microscope, through the light envelope and within a dose budget. */
@ApiTags('care')
@ApiBearerAuth()
@Controller('api/care/calibrations')
export class CalibrationsController {
  constructor(private readonly calibrations: CalibrationService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Acquire low/high-light pairs at N positions (operator); 400 names the limit a request exceeds' })
  @ApiBody({ schema: openApiSchema(calibrationRequestSchema) })
  start(@Body(new ZodBodyPipe(calibrationRequestSchema)) request: CalibrationRequest, @Caller() caller: string) {
    return this.calibrations.start(request, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A calibration: state, pairs kept/dropped, drift per pair, dose used, files' })
  get(@Param('id') id: string) {
    return this.calibrations.get(id);
  }
}
