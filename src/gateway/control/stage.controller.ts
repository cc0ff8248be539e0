import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { HardwareService } from '../../hardware/hardware.service';
import { UnknownDeviceError } from './hardware-errors';
import { MicroscopeState } from './microscope-state';
import { openApiSchema, ZodBodyPipe } from './zod-body.pipe';

/** Far beyond any stage's travel: catches unit mistakes (nm for µm) before they reach a motor. */
const MAX_TRAVEL_UM = 100_000;
const coordinateUm = z.number().finite().min(-MAX_TRAVEL_UM).max(MAX_TRAVEL_UM);

const xyMoveSchema = z.object({ xUm: coordinateUm, yUm: coordinateUm, relative: z.boolean().default(false) }).strict();
const zMoveSchema = z.object({ zUm: coordinateUm, relative: z.boolean().default(false) }).strict();

@ApiTags('stage')
@ApiBearerAuth()
@Controller('api/stage')
export class StageController {
  constructor(
    private readonly hardware: HardwareService,
    private readonly state: MicroscopeState,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Current XY and focus positions (µm)' })
  async position() {
    return await this.read();
  }

  @Post('xy')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the XY stage (operator); answers the new position' })
  @ApiBody({ schema: openApiSchema(xyMoveSchema) })
  async moveXY(@Body(new ZodBodyPipe(xyMoveSchema)) move: z.infer<typeof xyMoveSchema>) {
    this.state.requireIdle('moving the XY stage');
    const stage = required(await this.hardware.xyStage(), 'XY stage');
    if (move.relative) await stage.moveRelativeUm(move.xUm, move.yUm);
    else await stage.setPositionUm(move.xUm, move.yUm);
    await stage.waitUntilIdle();
    return await this.read();
  }

  @Post('z')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the focus drive (operator); answers the new position' })
  @ApiBody({ schema: openApiSchema(zMoveSchema) })
  async moveZ(@Body(new ZodBodyPipe(zMoveSchema)) move: z.infer<typeof zMoveSchema>) {
    this.state.requireIdle('moving the focus drive');
    const stage = required(await this.hardware.zStage(), 'focus drive');
    if (move.relative) await stage.moveRelativeUm(move.zUm);
    else await stage.setPositionUm(move.zUm);
    await stage.waitUntilIdle();
    return await this.read();
  }

  private async read() {
    const xyStage = await this.hardware.xyStage();
    const zStage = await this.hardware.zStage();
    const xy = xyStage ? await xyStage.getPositionUm() : undefined;
    return {
      xy: xyStage && xy ? { label: xyStage.label, xUm: xy.x, yUm: xy.y } : null,
      z: zStage ? { label: zStage.label, zUm: await zStage.getPositionUm() } : null,
    };
  }
}

function required<T>(device: T | undefined, role: string): T {
  if (!device) throw new UnknownDeviceError(`the microscope has no ${role}`);
  return device;
}
