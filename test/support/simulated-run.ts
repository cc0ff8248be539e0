import { randomUUID } from 'node:crypto';
import {
  startMicroManagerSimulator,
  type MicroManagerSimulatorOptions,
  type RunningMicroManagerSimulator,
} from '../../simulators/micro-manager';
import { MicroManagerEngine } from '../../src/acquisition/engine/micro-manager-engine';
import { fovFromCamera, iterateEvents, validatePlan, type MDAEvent } from '../../src/acquisition/plans';
import { AcquisitionRun, type EventHooks } from '../../src/acquisition/runner/runner';
import type { RunProgress } from '../../src/acquisition/runner/lifecycle';
import { openRawDataset, type RawFormat } from '../../src/acquisition/service/dataset-sink';
import { layoutForPlan, withChannelColors } from '../../src/acquisition/service/plan-layout';
import type { ChannelLight, FrameWriter } from '../../src/acquisition/storage';
import { connectMicroManager, type MicroManagerCore } from '../../src/hardware/micro-manager';
import { LightGuard } from '../../src/hardware/safety';

/** An in-process simulated Micro-Manager and a client on it, with a small camera so runs stay quick. */
export interface SimulatedScope {
  readonly sim: RunningMicroManagerSimulator;
  readonly core: MicroManagerCore;
  close(): Promise<void>;
}

export async function startSimulatedScope(options: MicroManagerSimulatorOptions = {}, timeoutMs = 5000): Promise<SimulatedScope> {
  const sim = await startMicroManagerSimulator({ port: 0, lightSource: null, ...options });
  const core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs, reconnectMaxDelayMs: 200 });
  await core.setProperty('Camera', 'OnCameraCCDXSize', 32);
  await core.setProperty('Camera', 'OnCameraCCDYSize', 24);
  return {
    sim,
    core,
    close: async () => {
      await core.close();
      await sim.close();
    },
  };
}

export interface SimulatedRunResult {
  readonly progress: RunProgress;
  readonly writer: FrameWriter;
}

/**
 * A plan run as the service runs it, minus the service: its layout from the plan and camera, the raw data set
 * opened by the service's sink, the real runner and Micro-Manager engine. `hooks` may inject failures.
 */
export async function runPlanOnScope(
  core: MicroManagerCore,
  planJson: unknown,
  options: {
    directory: string;
    format: RawFormat;
    hooks?: (run: AcquisitionRun<MDAEvent>) => EventHooks<MDAEvent>[];
    /** As the service's `acquisition.channels`. */
    channelLights?: Readonly<Record<string, ChannelLight>>;
  },
): Promise<SimulatedRunResult> {
  const plan = validatePlan(planJson, 'test plan');
  const geometry = await core.getImageGeometry();
  const pixelSizeUm = await core.getPixelSizeUm();
  const fov = fovFromCamera(geometry.width, geometry.height, pixelSizeUm);
  const acquisitionId = randomUUID();
  const layout = withChannelColors(layoutForPlan(plan, fov, geometry, pixelSizeUm, acquisitionId).layout, options.channelLights ?? {});
  const writer = await openRawDataset({ acquisitionId, layout, format: options.format, directory: options.directory, name: 'truth' });
  const hooks: EventHooks<MDAEvent>[] = [];
  const run: AcquisitionRun<MDAEvent> = new AcquisitionRun<MDAEvent>({
    acquisitionId,
    events: iterateEvents(plan, fov),
    engine: new MicroManagerEngine({ core, guard: await LightGuard.learn({ core, policy: 'clamp' }, 80) }),
    sink: writer,
    hooks,
  });
  hooks.push(...(options.hooks?.(run) ?? []));
  return { progress: await run.start(), writer };
}
