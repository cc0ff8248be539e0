import { BadRequestException, Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { HardwareService } from '../../hardware/hardware.service';
import { propertyValueProblem } from '../../hardware/property-check';
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
    const core = this.hardware.requireCore();
    const names = await core.getDevicePropertyNames(label);
    const properties = [];
    for (const name of names) {
      properties.push({
        name,
        value: await core.getProperty(label, name),
        readOnly: await core.isPropertyReadOnly(label, name),
        allowedValues: await core.getAllowedPropertyValues(label, name),
        limits: (await core.getPropertyLimits(label, name)) ?? null,
      });
    }
    return { label, properties };
  }

  @Get(':label/properties/:name')
  @ApiOperation({ summary: 'One property value' })
  async property(@Param('label') label: string, @Param('name') name: string) {
    await this.requireProperty(label, name);
    return { label, name, value: await this.hardware.requireCore().getProperty(label, name) };
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
    const core = this.hardware.requireCore();
    const problem = await propertyValueProblem(core, label, name, body.value);
    if (problem) throw new BadRequestException(`${problem.field}: ${problem.message}`);
    this.state.requireIdle(`setting ${label}.${name}`);
    await this.hardware.lightGuard().setProperty(label, name, body.value, caller);
    return { label, name, value: await core.getProperty(label, name) };
  }

  private async requireProperty(label: string, name: string): Promise<void> {
    this.state.requireDevice(label);
    if (!(await this.hardware.requireCore().hasProperty(label, name)))
      throw new UnknownDeviceError(`name: device "${label}" has no property "${name}"`);
  }
}
