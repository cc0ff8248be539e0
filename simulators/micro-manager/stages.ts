/**
 * Stage motion. Positions change at once (as the demo stages report them) but the stage stays busy for the
 * travel time, so waitForDevice really waits. XY stages move at their Velocity property (mm/s), Z stages at a
 * configurable speed. Positions are exact unless a step size is given: DemoCamera's XY stage has 0.015 µm steps
 * (a move to 100 reads back 100.005, as in the recorded session), its Z stage 0.025 µm.
 */
import type { SimCore } from './sim-core';
import { CoreError, type SimDevice } from './sim-device';

const quantize = (valueUm: number, stepUm: number | undefined) => (stepUm ? Math.round(valueUm / stepUm) * stepUm : valueUm);

export interface StageOptions {
  /** Speed of focus (Z) stages, µm/s. Default 1000. */
  readonly zSpeedUmPerS?: number;
  /** Speed of XY stages, µm/s; sets their Velocity property (mm/s). Default: the demo's 10 mm/s. */
  readonly xySpeedUmPerS?: number;
  /** Step of XY stages, µm; 0.015 reproduces DemoCamera's XY stage. Default: none (positions exact). */
  readonly xyStepUm?: number;
  /** Step of Z stages, µm; 0.025 reproduces DemoCamera's Z stage. Default: none. */
  readonly zStepUm?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Stages {
  constructor(
    private readonly core: SimCore,
    private readonly options: StageOptions = {},
  ) {
    if (options.xySpeedUmPerS !== undefined) {
      for (const device of core.devices.values())
        if (device.type === 'XYStageDevice' && device.properties.has('Velocity'))
          device.force('Velocity', (options.xySpeedUmPerS / 1000).toFixed(4));
    }
  }

  xyStage(label: string): SimDevice {
    const device = this.core.device(label);
    if (device.type !== 'XYStageDevice') throw new CoreError(`Device "${label}" is not an XY stage`);
    return device;
  }

  zStage(label: string): SimDevice {
    const device = this.core.device(label);
    if (device.type !== 'StageDevice') throw new CoreError(`Device "${label}" is not a stage`);
    return device;
  }

  getXY(label: string): { x: number; y: number } {
    return { ...this.xyStage(label).xyUm };
  }

  setXY(label: string, xUm: number, yUm: number): void {
    const stage = this.xyStage(label);
    const target = { x: quantize(xUm, this.options.xyStepUm), y: quantize(yUm, this.options.xyStepUm) };
    const distanceUm = Math.hypot(target.x - stage.xyUm.x, target.y - stage.xyUm.y);
    const umPerMs = Number(stage.properties.get('Velocity')?.value ?? 10);
    this.startMove(stage, distanceUm / umPerMs);
    stage.xyUm = target;
  }

  getZ(label: string): number {
    return this.zStage(label).zUm;
  }

  setZ(label: string, zUm: number): void {
    const stage = this.zStage(label);
    const target = this.checkZInRange(label, zUm);
    const distanceUm = Math.abs(target - stage.zUm);
    this.startMove(stage, (distanceUm / (this.options.zSpeedUmPerS ?? 1000)) * 1000);
    stage.zUm = target;
    stage.force('Position', target.toFixed(4));
  }

  /** The position a move to zUm reaches (quantized to the step); throws when it is outside the stage's range. */
  checkZInRange(label: string, zUm: number): number {
    const property = this.zStage(label).property('Position');
    const target = quantize(zUm, this.options.zStepUm);
    if ((property.lower !== undefined && target < property.lower) || (property.upper !== undefined && target > property.upper)) {
      throw new CoreError(
        `Error in device "${label}": position ${zUm} µm is outside the stage's range [${property.lower}, ${property.upper}]`,
      );
    }
    return target;
  }

  private startMove(stage: SimDevice, travelMs: number): void {
    stage.busyUntilMs = Math.max(stage.busyUntilMs, Date.now() + travelMs);
  }

  busy(label: string): boolean {
    return this.core.device(label).isBusy();
  }

  /** CMMCore::waitForDevice: polls Busy() until the device is idle or Core-TimeoutMs passes. */
  async waitForDevice(label: string): Promise<void> {
    const device = this.core.device(label);
    const timeoutMs = Number(this.core.getProperty('Core', 'TimeoutMs'));
    const deadline = Date.now() + timeoutMs;
    while (device.isBusy()) {
      if (Date.now() >= deadline) throw new CoreError(`Wait for device "${label}" timed out after ${timeoutMs}ms`);
      await sleep(Math.min(device.busyUntilMs, deadline) - Date.now());
    }
  }

  async waitForSystem(): Promise<void> {
    for (const label of this.core.loadedDevices()) await this.waitForDevice(label);
  }
}
