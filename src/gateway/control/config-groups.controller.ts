import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { HardwareService } from '../../hardware/hardware.service';
import { Caller } from './caller.decorator';
import { UnknownDeviceError } from './hardware-errors';
import { MicroscopeState } from './microscope-state';
import { openApiSchema, ZodBodyPipe } from './zod-body.pipe';

const presetSchema = z.object({ preset: z.string().min(1).max(200) }).strict();

/** Micro-Manager's configuration groups (Channel, Objective…): list them, apply a preset through the light guard. */
@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/config-groups')
export class ConfigGroupsController {
  constructor(
    private readonly hardware: HardwareService,
    private readonly state: MicroscopeState,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Configuration groups with their presets and the current one' })
  async list() {
    const config = this.hardware.configGroups();
    const groups = [];
    for (const group of await config.groups()) {
      groups.push({ group, presets: await config.presets(group), current: await config.current(group) });
    }
    return groups;
  }

  @Put(':group')
  @ApiOperation({
    summary: 'Apply a preset (operator); one that sets light goes through the light guard, clamped or refused beyond the limits',
  })
  @ApiBody({ schema: openApiSchema(presetSchema) })
  async apply(
    @Param('group') group: string,
    @Body(new ZodBodyPipe(presetSchema)) body: z.infer<typeof presetSchema>,
    @Caller() caller: string,
  ) {
    const config = this.hardware.configGroups();
    const groups = await config.groups();
    if (!groups.includes(group)) throw new UnknownDeviceError(`group: "${group}" does not exist; groups: ${groups.join(', ')}`);
    const presets = await config.presets(group);
    if (!presets.includes(body.preset))
      throw new UnknownDeviceError(`preset: "${body.preset}" is not in group "${group}"; it has: ${presets.join(', ')}`);
    this.state.requireIdle(`applying ${group}/${body.preset}`);
    await config.apply(group, body.preset, caller);
    return { group, current: await config.current(group) };
  }
}
