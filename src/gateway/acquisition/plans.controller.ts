import { BadRequestException, Body, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { resolve } from 'node:path';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { GatewaySettings } from '../server.config';
import { HardwareService } from '../../hardware/hardware.service';
import {
  FieldOfViewRequiredError,
  fovFromCamera,
  iterateEvents,
  summarizePlan,
  toUseqEventJson,
  validatePlan,
  type UseqEventJson,
} from '../../acquisition/plans';
import { freeBytesAt } from '../../acquisition/service/preflight';
import { AgentService } from '../../agent/agent.service';
import { agentPlanOutlook } from '../../agent/plan-duration-range';

const MAX_EVENTS_SHOWN = 10_000;

/**
 * What a plan will do before it runs: sizes, duration, disk use on the current camera, the first events, and with
 * the agent on, the range of durations its bounds allow and a sentence saying so.
 */
@Controller('api/plans')
export class PlansController {
  constructor(
    private readonly hardware: HardwareService,
    private readonly agent: AgentService,
    @Inject(SCOPE_CONFIG) private readonly config: GatewaySettings,
  ) {}

  /** `?events=N` lists the first N events (default 100, at most 10,000) in useq-schema's field names. */
  @Post('preview')
  @HttpCode(200)
  async preview(@Body() body: unknown, @Query('events') eventsParam?: string, @Query('format') formatParam?: string) {
    const eventsShown = eventsParam === undefined ? 100 : Number(eventsParam);
    if (!Number.isInteger(eventsShown) || eventsShown < 0 || eventsShown > MAX_EVENTS_SHOWN) {
      throw new BadRequestException(`events: must be an integer from 0 to ${MAX_EVENTS_SHOWN}, got "${eventsParam}"`);
    }
    const format = formatParam ?? this.config.storage.format;
    if (format !== 'ome-tiff' && format !== 'ome-zarr')
      throw new BadRequestException(`format: "${format}" is not one of ome-tiff, ome-zarr`);
    const plan = validatePlan(body, 'plan');
    const camera = this.hardware.isReady() ? await this.hardware.imageGeometry() : undefined;
    const pixelSizeUm = this.hardware.pixelSizeUm() > 0 ? this.hardware.pixelSizeUm() : 1;
    const summary = summarizePlan(plan, {
      ...(camera ? { cameraWidthPx: camera.width, cameraHeightPx: camera.height, bytesPerPixel: camera.bytesPerPixel } : {}),
      pixelSizeUm,
      format,
    });
    const destination = resolve(this.config.storage.directory);
    const freeBytes = freeBytesAt(destination);
    const events: UseqEventJson[] = [];
    const fov = camera ? fovFromCamera(camera.width, camera.height, pixelSizeUm) : {};
    let eventsTruncated = false;
    try {
      for (const event of iterateEvents(plan, fov)) {
        if (events.length >= eventsShown) {
          eventsTruncated = true;
          break;
        }
        events.push(toUseqEventJson(event));
      }
    } catch (err) {
      if (!(err instanceof FieldOfViewRequiredError)) throw err;
      throw new BadRequestException(`${err.message} (the microscope is not connected, so the camera's field of view is unknown)`);
    }
    return {
      ...summary,
      camera: camera ?? null,
      destination,
      freeBytes,
      fits: summary.estimatedBytes === undefined ? null : summary.estimatedBytes <= freeBytes,
      agent: agentPlanOutlook(plan, fov, this.agent.bounds, this.agent.status().enabled),
      events,
      eventsTruncated,
    };
  }
}
