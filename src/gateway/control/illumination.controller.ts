import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { HardwareService } from '../../hardware/hardware.service';
import { maxPowerPercentFor, type SafeLightSource } from '../../hardware/safety';
import { Caller } from './caller.decorator';
import { UnknownDeviceError } from './hardware-errors';
import { openApiSchema, ZodBodyPipe } from './zod-body.pipe';

const channelCommandSchema = z
  .object({ on: z.boolean().optional(), powerPercent: z.number().finite().min(0).max(100).optional() })
  .strict()
  .refine((c) => c.on !== undefined || c.powerPercent !== undefined, { message: 'give on, powerPercent or both' });

/** Illumination, only through the safety envelope: it clamps to the configured limits and the dose budget. */
@ApiTags('illumination')
@ApiBearerAuth()
@Controller('api/illumination')
export class IlluminationController {
  constructor(private readonly hardware: HardwareService) {}

  @Get()
  @ApiOperation({
    summary: "Channels (wavelength, on, power %, the envelope's maximum power %) and the dose used in the current window",
  })
  async status() {
    const light = this.light();
    const channels = (await light.getChannels()).map((c) => ({ ...c, maxPowerPercent: maxPowerPercentFor(light.limits, c.index) }));
    return { label: light.label, overLimit: light.limits.overLimit, channels, dose: light.doseInWindow() ?? null };
  }

  @Put('channels/:index')
  @ApiOperation({ summary: 'Switch a channel and/or set its power (operator); answers what the envelope applied' })
  @ApiBody({ schema: openApiSchema(channelCommandSchema) })
  async command(
    @Param('index', new ParseIntPipe({ exceptionFactory: () => new BadRequestException('index: must be an integer channel number') }))
    index: number,
    @Body(new ZodBodyPipe(channelCommandSchema)) command: z.infer<typeof channelCommandSchema>,
    @Caller() caller: string,
  ) {
    const light = this.light();
    const channels = await light.getChannels();
    if (!channels.some((c) => c.index === index)) {
      throw new UnknownDeviceError(`${light.label} has no channel ${index} (channels: ${channels.map((c) => c.index).join(', ')})`);
    }
    const max = maxPowerPercentFor(light.limits, index);
    if (light.limits.overLimit === 'refuse' && command.powerPercent !== undefined && command.powerPercent > max) {
      throw new BadRequestException(
        `powerPercent: ${command.powerPercent} is above the maximum of ${max} % for channel ${index}; refused (safety.light.overLimit is refuse)`,
      );
    }
    // Power first, so switching on never flashes the previous, possibly higher, power.
    const appliedPowerPercent =
      command.powerPercent !== undefined ? await light.commandPowerPercent(index, command.powerPercent, caller) : undefined;
    const on = command.on !== undefined ? await light.commandChannelOn(index, command.on, caller) : undefined;
    const channel = (await light.getChannels()).find((c) => c.index === index);
    return { requested: command, applied: { powerPercent: appliedPowerPercent, on }, channel };
  }

  @Post('off')
  @HttpCode(200)
  @ApiOperation({ summary: 'Every channel off (operator)' })
  async allOff(@Caller() caller: string) {
    const light = this.light();
    await light.allOff(caller);
    return { channels: await light.getChannels() };
  }

  private light(): SafeLightSource {
    const light = this.hardware.light();
    if (!light)
      throw new ServiceUnavailableException('no light source is ready (hardware.lightSource, or Micro-Manager not connected yet)');
    return light;
  }
}
