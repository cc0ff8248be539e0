import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { AcquisitionSettings } from '../acquisition.config';
import { HardwareNotReadyError, HardwareService } from '../../hardware/hardware.service';
import { ENGINE_FACTORY, type EngineFactory } from '../engine/engine-factory';
import { readCameraNames } from '../engine/camera-channels';
import { probeSequencing } from '../engine/sequencing-probe';
import type { Frame } from '../frame';
import { fovFromCamera, iterateEvents, sequenceEvents, validatePlan, type MDAEvent, type MDASequence } from '../plans';
import { AcquisitionRun, type EventHooks } from '../runner/runner';
import type { LifecycleEvent, RunProgress } from '../runner/lifecycle';
import type { DatasetLayoutInput, FrameWriter } from '../storage';
import { SINK_FACTORY, type RawFormat, type SinkFactory } from './dataset-sink';
import { layoutForPlan, withCameraChannels, withChannelColors } from './plan-layout';
import { checkHardwareNames, checkPlanLight, checkPlanProperties, checkSpace, estimatedDatasetBytes } from './preflight';

export class AcquisitionNotFoundError extends Error {
  override readonly name = 'AcquisitionNotFoundError';
}

export class AcquisitionBusyError extends Error {
  override readonly name = 'AcquisitionBusyError';
}

export interface StartOptions {
  readonly format?: RawFormat;
  readonly directory?: string;
  /** Start even when the estimate says the data set will not fit on the disk (the writer still stops cleanly when full). */
  readonly force?: boolean;
  /**
   * Run time points without waits between them as one hardware-sequenced burst of the camera, and z-stacks too
   * when the focus stage takes sequences. Unset: as configured (`acquisition.sequencing`).
   */
  readonly hardwareSequencing?: boolean;
}

export interface AcquisitionStatus extends RunProgress {
  /** What holds the raw data set: its file, its Zarr store, or the folder of its per-position OME-TIFF files. */
  readonly datasetPath: string;
  /** The data set's files (or Zarr store) that exist so far: an OME-TIFF file appears with its first frame. */
  readonly datasetFiles: readonly string[];
  readonly format: RawFormat;
  readonly framesPlanned: number;
  /** With hardware sequencing: what runs in hardware and what in software, and why. */
  readonly sequencing?: readonly string[];
}

/** A run's raw data set: where it is, its identity and shape, for processed data sets that link to it. */
export interface RawDataset {
  readonly acquisitionId: string;
  /** The writer's path: the file, or for several positions the name their files share (processed data sets are named after it). */
  readonly path: string;
  /** Its file, Zarr store or folder, as status reports it. */
  readonly location: string;
  readonly files: readonly string[];
  readonly datasetUuid: string;
  readonly layout: DatasetLayoutInput;
}

interface RunRecord {
  readonly run: AcquisitionRun<MDAEvent>;
  readonly writer: FrameWriter;
  readonly layout: DatasetLayoutInput;
  readonly format: RawFormat;
  readonly framesPlanned: number;
  /** Notes for the data set's final metadata, each read when the run ends (undefined: left out). */
  readonly annotations: Map<string, () => string | undefined>;
  readonly sequencing?: readonly string[];
}

const OVER = new Set(['finished', 'cancelled', 'failed']);

/**
 * Runs planned acquisitions on the hardware, one at a time (one microscope): validates the plan, opens the raw
 * data set, and keeps every run's progress. Frames of every run flow out of `frames$` once the raw writer has them.
 */
@Injectable()
export class AcquisitionService implements OnModuleDestroy {
  private readonly logger = new Logger('Acquisition');
  private readonly runs = new Map<string, RunRecord>();
  private readonly framesSubject = new Subject<Frame>();
  private readonly lifecycleSubject = new Subject<LifecycleEvent>();
  private readonly runningSubject = new BehaviorSubject<boolean>(false);
  readonly frames$: Observable<Frame> = this.framesSubject.asObservable();
  readonly lifecycle$: Observable<LifecycleEvent> = this.lifecycleSubject.asObservable();
  /** True while a run owns the camera (live mode stands aside). */
  readonly running$: Observable<boolean> = this.runningSubject.asObservable();
  private readonly hooks: EventHooks<MDAEvent>[] = [];
  private active?: RunRecord;
  private starting = false;
  /** Who else holds the microscope (a CARE calibration): no acquisition starts meanwhile. */
  private readonly reservations = new Set<string>();

  constructor(
    private readonly hardware: HardwareService,
    @Inject(SCOPE_CONFIG) private readonly config: AcquisitionSettings,
    @Inject(SINK_FACTORY) private readonly openSink: SinkFactory,
    @Inject(ENGINE_FACTORY) private readonly makeEngine: EngineFactory,
  ) {}

  /** Keeps acquisitions from starting until the returned release is called; `owner` names who holds it. */
  reserve(owner: string): () => void {
    this.reservations.add(owner);
    return () => void this.reservations.delete(owner);
  }

  /** Hooks see every event of every run (the agent steers through them). */
  addHook(hook: EventHooks<MDAEvent>): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }

  /** Validates the plan (useq-schema MDASequence JSON), opens its data set, starts it, and answers its status. */
  start(planJson: unknown, options: StartOptions = {}): Promise<AcquisitionStatus> {
    return this.startPlan(validatePlan(planJson, 'acquisition plan'), options);
  }

  /** Starts an already validated plan (e.g. from `parsePlan` on a YAML file). */
  async startPlan(plan: MDASequence, options: StartOptions = {}): Promise<AcquisitionStatus> {
    if (this.starting || (this.active && !OVER.has(this.active.run.progress().state))) {
      throw new AcquisitionBusyError(`acquisition ${this.active?.run.id ?? '(starting)'} is still running: cancel it or wait`);
    }
    const holder = this.reservations.values().next().value;
    if (holder !== undefined) throw new AcquisitionBusyError(`${holder} holds the microscope: wait for it to end`);
    this.starting = true;
    try {
      if (!this.hardware.isReady())
        throw new HardwareNotReadyError(`the microscope is not ready: Micro-Manager is ${this.hardware.connection().state}`);
      const pixelSizeUm = this.hardware.pixelSizeUm();
      const geometry = await this.hardware.imageGeometry();
      const fov = fovFromCamera(geometry.width, geometry.height, pixelSizeUm > 0 ? pixelSizeUm : 1);
      const acquisitionId = randomUUID();
      const cameras = await readCameraNames(this.hardware.requireCore());
      const planLayout = withCameraChannels(layoutForPlan(plan, fov, geometry, pixelSizeUm, acquisitionId), cameras);
      const { framesPlanned } = planLayout;
      const layout = withChannelColors(planLayout.layout, this.config.acquisition.channels);
      const properties = this.hardware.properties();
      await checkHardwareNames(this.hardware.configGroups(), properties, planLayout);
      const guard = this.hardware.lightGuard();
      const lightPower = (device: string, property: string) =>
        guard.watched().some((w) => w.device === device && w.property === property && w.kind === 'power');
      await checkPlanProperties(properties, plan, lightPower);
      const directory = options.directory ?? this.config.storage.directory;
      if (!options.force) checkSpace(directory, estimatedDatasetBytes(planLayout, geometry.bytesPerPixel));
      const format = options.format ?? this.config.storage.format;
      const name = typeof plan.metadata.name === 'string' ? plan.metadata.name : undefined;
      const writer = await this.openSink({ acquisitionId, layout, format, directory, name, zarr: this.config.storage.zarr });
      const light = this.hardware.light();
      await checkPlanLight(guard, plan);
      const hardwareSequencing = options.hardwareSequencing ?? this.config.acquisition.sequencing === 'hardware';
      const sequencing = hardwareSequencing ? await probeSequencing(this.hardware.requireCore(), plan) : undefined;
      const annotations = new Map<string, () => string | undefined>();
      if (sequencing) annotations.set('hardwareSequencing', () => sequencing.notes.join('; '));
      const run = new AcquisitionRun<MDAEvent>({
        acquisitionId,
        annotations: () =>
          Object.fromEntries(
            [...annotations].flatMap(([key, read]) => {
              const value = read();
              return value === undefined ? [] : [[key, value]];
            }),
          ),
        events: {
          [Symbol.iterator]: () => (sequencing ? sequenceEvents(iterateEvents(plan, fov), sequencing.options) : iterateEvents(plan, fov)),
        },
        engine: this.makeEngine({
          core: this.hardware.requireCore(),
          guard,
          light: light ? { source: light, channel: 0 } : undefined,
          cameras,
        }),
        sink: writer,
        hooks: this.hooks,
        framesPlanned,
      });
      const record: RunRecord = { run, writer, layout, format, framesPlanned, annotations, sequencing: sequencing?.notes };
      this.track(record);
      this.runs.set(run.id, record);
      this.active = record;
      this.runningSubject.next(true);
      void run.start().finally(() => {
        if (this.active === record) this.runningSubject.next(false);
      });
      this.logger.log({
        msg: `acquisition ${run.id} started → ${writer.location}`,
        acquisitionId: run.id,
        framesPlanned,
        path: writer.location,
        ...(sequencing ? { sequencing: sequencing.notes } : {}),
      });
      return this.statusOf(record);
    } finally {
      this.starting = false;
    }
  }

  status(id: string): AcquisitionStatus {
    return this.statusOf(this.record(id));
  }

  /** The raw data set of a run (known from its start, before any frame). */
  dataset(id: string): RawDataset {
    const { writer, layout } = this.record(id);
    return {
      acquisitionId: id,
      path: writer.path,
      location: writer.location,
      files: writer.files,
      datasetUuid: writer.datasetUuid,
      layout,
    };
  }

  /** Adds a note to the run's data set: `read` is called when the run ends, and its value (if any) stored under `key`. */
  annotate(id: string, key: string, read: () => string | undefined): void {
    this.record(id).annotations.set(key, read);
  }

  get(id: string): AcquisitionRun<MDAEvent> {
    return this.record(id).run;
  }

  list(): AcquisitionStatus[] {
    return [...this.runs.values()].map((record) => this.statusOf(record));
  }

  /** Resolves with the final status once the run is over. */
  async finished(id: string): Promise<AcquisitionStatus> {
    const record = this.record(id);
    await record.run.start();
    return this.statusOf(record);
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.active) return;
    this.active.run.cancel();
    await this.active.run.start();
  }

  private record(id: string): RunRecord {
    const record = this.runs.get(id);
    if (!record) throw new AcquisitionNotFoundError(`no acquisition with id ${id}`);
    return record;
  }

  private statusOf({ run, writer, format, framesPlanned, sequencing }: RunRecord): AcquisitionStatus {
    return {
      ...run.progress(),
      datasetPath: writer.location,
      datasetFiles: writer.files,
      format,
      framesPlanned,
      ...(sequencing ? { sequencing } : {}),
    };
  }

  private track({ run, writer }: RunRecord): void {
    run.frames$.subscribe((frame) => this.framesSubject.next(frame));
    run.lifecycle$.subscribe((event) => {
      this.lifecycleSubject.next(event);
      const context = { acquisitionId: run.id, frames: event.progress.framesWritten, path: writer.location, files: writer.files };
      if (event.type === 'failed') this.logger.error({ msg: `acquisition ${run.id} failed: ${event.progress.error}`, ...context });
      if (event.type === 'dropped')
        this.logger.warn({
          msg: `acquisition ${run.id}: the camera lost ${event.dropped.length} frame(s) (${event.dropped[0].reason}); their planes stay blank and the data set lists them`,
          ...context,
          dropped: event.dropped.map((frame) => frame.index),
        });
      if (event.type === 'finished' || event.type === 'cancelled')
        this.logger.log({ msg: `acquisition ${run.id} ${event.type}`, ...context });
    });
  }
}
