import { BadRequestException, Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { HardwareService } from '../../hardware/hardware.service';
import { Caller } from './caller.decorator';
import { UnknownDeviceError } from './hardware-errors';
import { MicroscopeState } from './microscope-state';
import { openApiSchema, ZodBodyPipe } from './zod-body.pipe';

const propertyValueSchema = z.object({ value: z.union([z.string().max(1000), z.number().finite(), z.boolean()]) }).strict();

/** Devices and their Micro-Manager properties. Illumination is not here: it goes through /api/illumination. */
@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/devices')
export class DevicesController {
  constructor(
    private readonly hardware: HardwareService,
    private readonly state: MicroscopeState,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Loaded devices: label, type, library' })
  list() {
    return this.hardware.devices();
  }

  @Get(':label/properties')
  @ApiOperation({ summary: "A device's properties with value, read-only flag, allowed values and limits" })
  async properties(@Param('label') label: string) {
    this.state.requireDevice(label);
    return { label, properties: await this.hardware.properties().describeAll(label) };
  }

  @Get(':label/properties/:name')
  @ApiOperation({ summary: 'One property value' })
  async property(@Param('label') label: string, @Param('name') name: string) {
    await this.requireProperty(label, name);
    return { label, name, value: await this.hardware.properties().get(label, name) };
  }

  @Put(':label/properties/:name')
  @ApiOperation({
    summary: 'Set a property (operator). Light-controlling ones go through the light guard: clamped or refused beyond the limits',
  })
  @ApiBody({ schema: openApiSchema(propertyValueSchema) })
  async setProperty(
    @Param('label') label: string,
    @Param('name') name: string,
    @Body(new ZodBodyPipe(propertyValueSchema)) body: z.infer<typeof propertyValueSchema>,
    @Caller() caller: string,
  ) {
    await this.requireProperty(label, name);
    const properties = this.hardware.properties();
    const problem = await properties.problem(label, name, body.value);
    if (problem) throw new BadRequestException(`${problem.field}: ${problem.message}`);
    this.state.requireIdle(`setting ${label}.${name}`);
    await properties.set(label, name, body.value, caller);
    return { label, name, value: await properties.get(label, name) };
  }

  private async requireProperty(label: string, name: string): Promise<void> {
    this.state.requireDevice(label);
    if (!(await this.hardware.properties().has(label, name)))
      throw new UnknownDeviceError(`name: device "${label}" has no property "${name}"`);
  }
}
