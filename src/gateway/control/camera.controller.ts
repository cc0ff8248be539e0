import { Body, Controller, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { LiveService } from '../../acquisition/live/live.service';
import { SCOPE_CONFIG } from '../../config/config.module';
import { HardwareService } from '../../hardware/hardware.service';
import type { HardwareSettings } from '../../hardware/hardware.config';
import { MicroscopeState } from './microscope-state';
import { openApiSchema, ZodBodyPipe } from './zod-body.pipe';

const exposureSchema = z.object({ exposureMs: z.number().finite().min(0) }).strict();
const liveSchema = z.object({ on: z.boolean() }).strict();

/** The camera as the dashboard drives it: exposure (within the light envelope's limit), live on/off, snap. */
@ApiTags('camera')
@ApiBearerAuth()
@Controller('api/camera')
export class CameraController {
  constructor(
    private readonly hardware: HardwareService,
    private readonly live: LiveService,
    private readonly state: MicroscopeState,
    @Inject(SCOPE_CONFIG) private readonly config: HardwareSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Exposure, its limit, pixel size, frame size and whether live runs' })
  async status() {
    const camera = this.hardware.liveCamera();
    const geometry = this.hardware.isReady() ? await this.hardware.imageGeometry() : undefined;
    return {
      label: camera.label,
      exposureMs: this.hardware.isReady() ? await camera.getExposureMs() : null,
      maxExposureMs: this.config.safety.light.maxExposureMs,
      pixelSizeUm: this.hardware.pixelSizeUm(),
      widthPx: geometry?.width ?? null,
      heightPx: geometry?.height ?? null,
      live: this.live.status(),
    };
  }

  @Put('exposure')
  @ApiOperation({ summary: 'Set the exposure (operator); above safety.light.maxExposureMs it is clamped to it' })
  @ApiBody({ schema: openApiSchema(exposureSchema) })
  async setExposure(@Body(new ZodBodyPipe(exposureSchema)) body: z.infer<typeof exposureSchema>) {
    this.state.requireIdle('changing the exposure');
    const light = this.hardware.light();
    const exposureMs = light ? light.clampExposureMs(body.exposureMs) : Math.min(body.exposureMs, this.config.safety.light.maxExposureMs);
    await this.hardware.liveCamera().setExposureMs(exposureMs);
    return { requestedMs: body.exposureMs, exposureMs: await this.hardware.liveCamera().getExposureMs() };
  }

  @Post('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Live mode on or off (operator); off, viewers see only snapped frames' })
  @ApiBody({ schema: openApiSchema(liveSchema) })
  setLive(@Body(new ZodBodyPipe(liveSchema)) body: z.infer<typeof liveSchema>) {
    this.live.setLive(body.on);
    return this.live.status();
  }

  @Post('snap')
  @HttpCode(200)
  @ApiOperation({ summary: 'One frame to every viewer (operator); stops live, 409 while an acquisition owns the camera' })
  async snap() {
    const frame = await this.live.snap();
    const { sequence, width, height, exposureMs, wallTimeMs } = frame.meta;
    return { sequence, width, height, exposureMs, wallTimeMs, live: this.live.status() };
  }
}
