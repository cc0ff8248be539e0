import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LiveService } from '../../../acquisition/live/live.service';
import { AcquisitionService } from '../../../acquisition/service/acquisition.service';
import { SCOPE_CONFIG } from '../../../config/config.module';
import { HardwareNotReadyError, HardwareService } from '../../../hardware/hardware.service';
import type { XYStage } from '../../../hardware/devices';
import type { CareTrainingSettings } from '../care-training.config';
import { acquirePairs, type PairProgress } from './acquire-pairs';
import { CalibrationNotFoundError, CalibrationRefusedError } from './calibration-errors';
import { CalibrationFiles } from './calibration-files';
import { planCalibration, type CalibrationPlan } from './calibration-plan';
import type { CalibrationReport } from './calibration-report';
import type { CalibrationRequest } from './calibration-request';

/** Another calibration or an acquisition holds the microscope: 409. */
export class CalibrationBusyError extends Error {
  override readonly name = 'CalibrationBusyError';
}

const ID = /^cal-[0-9a-z-]+$/;
/** Long enough for a live snap in flight when the camera is held to come back (live exposure is far shorter). */
const LIVE_DRAIN_MS = 300;

/** Folder of all calibrations: <storage.directory>/care-calibrations/<id>/. */
export const calibrationsRoot = (storageDirectory: string): string => resolve(storageDirectory, 'care-calibrations');

/**
 * Calibrates CARE on the microscope: checks the request against the light envelope, then acquires the pairs in the
 * background (one calibration at a time, none during an acquisition), writing calibration.json after every pair so
 * that a crash leaves a readable report beside the frames already written.
 */
@Injectable()
export class CalibrationService {
  private readonly logger = new Logger('CareCalibration');
  private readonly reports = new Map<string, CalibrationReport>();
  private readonly runs = new Map<string, Promise<CalibrationReport>>();
  private busy = false;

  constructor(
    @Inject(SCOPE_CONFIG) private readonly config: CareTrainingSettings,
    private readonly hardware: HardwareService,
    private readonly acquisitions: AcquisitionService,
    private readonly live: LiveService,
  ) {}

  get root(): string {
    return calibrationsRoot(this.config.storage.directory);
  }

  /** Validates against the envelope (refusing before anything moves), then starts; answers the first report. */
  async start(request: CalibrationRequest, caller: string): Promise<CalibrationReport> {
    if (this.busy) throw new CalibrationBusyError('a calibration is already running: wait for it');
    if (this.acquisitions.list().some((a) => !['finished', 'cancelled', 'failed'].includes(a.state)))
      throw new CalibrationBusyError('an acquisition is running: calibrate when it is over');
    if (!this.hardware.isReady()) throw new HardwareNotReadyError(`the microscope is not ready: Micro-Manager is ${this.hardware.connection().state}`);
    const light = this.hardware.light();
    if (!light) throw new CalibrationRefusedError('no light source is under the service\'s control (hardware.lightSource): calibration needs one');
    const stage = await this.hardware.xyStage();
    if (!stage && !request.positions) throw new CalibrationRefusedError('positions: there is no XY stage to make a grid with; give positions or load a stage');
    const current = stage ? await stage.getPositionUm() : { x: 0, y: 0 };
    const geometry = await this.hardware.imageGeometry();
    const pixelSizeUm = this.hardware.pixelSizeUm();
    const fieldUm = Math.max(geometry.width, geometry.height) * (pixelSizeUm > 0 ? pixelSizeUm : 1);
    const plan = planCalibration(request, light.limits, { channel: this.config.careTraining.calibration.channel, current: { xUm: current.x, yUm: current.y }, fieldUm });
    const id = `cal-${new Date().toISOString().replace(/[:.]/g, '-').toLowerCase()}-${randomUUID().slice(0, 8)}`;
    const directory = join(this.root, id);
    const files = await CalibrationFiles.create(directory, pixelSizeUm);
    const report: CalibrationReport = {
      id,
      name: request.name ?? id,
      state: 'running',
      directory,
      startedAt: new Date().toISOString(),
      light: { source: light.label, channel: plan.channel, lowPercent: plan.lowPercent, highPercent: plan.highPercent },
      exposureMs: plan.exposureMs,
      camera: { label: this.hardware.liveCamera().label, widthPx: geometry.width, heightPx: geometry.height, bitDepth: geometry.bitDepth },
      pixelSizeUm,
      maxDriftPx: this.config.careTraining.calibration.maxDriftPx,
      pairs: plan.positions.map((position, index) => ({ index, position, attempts: [], outcome: 'skipped' as const })),
      pairsKept: 0,
      pairsDropped: 0,
      retakes: 0,
      dose: { budgetPercentSeconds: plan.doseBudgetPercentSeconds, usedPercentSeconds: 0 },
    };
    await this.save(files, report);
    this.busy = true;
    const run = this.run(plan, files, report, stage, caller).finally(() => {
      this.busy = false;
    });
    this.runs.set(id, run);
    return report;
  }

  /** The report of a calibration, running or done (from calibration.json after a restart). */
  async get(id: string): Promise<CalibrationReport> {
    const known = this.reports.get(id);
    if (known) return known;
    const path = join(this.root, id, 'calibration.json');
    if (!ID.test(id) || !existsSync(path)) throw new CalibrationNotFoundError(`no calibration ${id}`);
    return JSON.parse(await readFile(path, 'utf8')) as CalibrationReport;
  }

  /** Resolves once the calibration is over (for the CLI and tests). */
  async finished(id: string): Promise<CalibrationReport> {
    return (await this.runs.get(id)) ?? this.get(id);
  }

  private async run(plan: CalibrationPlan, files: CalibrationFiles, started: CalibrationReport, stage: XYStage | undefined, caller: string): Promise<CalibrationReport> {
    const light = this.hardware.light()!;
    const camera = this.hardware.liveCamera();
    // Live view snaps would interleave with the pairs' frames at the camera: it pauses until the calibration ends,
    // and no acquisition may start meanwhile.
    const releaseCamera = this.live.holdCamera(`care calibration ${started.id}`);
    const releaseMicroscope = this.acquisitions.reserve(`care calibration ${started.id}`);
    const release = () => {
      releaseMicroscope();
      releaseCamera();
    };
    await new Promise((resolve) => setTimeout(resolve, LIVE_DRAIN_MS));
    const previousExposureMs = await camera.getExposureMs().catch(() => undefined);
    const withProgress = (p: PairProgress): CalibrationReport => ({
      ...started,
      pairs: started.pairs.map((pair) => p.pairs.find((q) => q.index === pair.index) ?? pair),
      pairsKept: p.pairs.filter((q) => q.outcome === 'kept').length,
      pairsDropped: p.pairs.filter((q) => q.outcome === 'dropped').length,
      retakes: p.retakes,
      dose: { ...started.dose, usedPercentSeconds: p.usedPercentSeconds },
      ...(p.stopped ? { stopped: p.stopped } : {}),
    });
    let report = started;
    const startedMs = Date.now();
    const ended = (state: CalibrationReport['state'], extra: Partial<CalibrationReport> = {}): CalibrationReport => ({
      ...report,
      ...extra,
      state,
      finishedAt: new Date().toISOString(),
      durationS: (Date.now() - startedMs) / 1000,
    });
    try {
      const progress = await acquirePairs(
        plan,
        {
          light,
          camera,
          origin: `care calibration ${started.id} (${caller})`,
          moveTo: async ({ xUm, yUm }) => {
            if (!stage) return;
            await stage.setPositionUm(xUm, yUm);
            await stage.waitUntilIdle();
          },
        },
        files,
        {
          ...this.config.careTraining.calibration,
          onPair: (p) => this.save(files, (report = withProgress(p))),
        },
      );
      report = withProgress(progress);
      report = report.pairsKept > 0 ? ended('finished') : ended('failed', { error: `no pair kept: ${report.stopped ?? 'every pair drifted beyond the threshold'}` });
    } catch (err) {
      report = ended('failed', { error: (err as Error).message });
      this.logger.warn({ msg: `calibration ${started.id} failed: ${(err as Error).message}` });
    } finally {
      await light.allOff(`care calibration ${started.id}`).catch(() => undefined);
      if (previousExposureMs !== undefined) await camera.setExposureMs(previousExposureMs).catch(() => undefined);
      release();
    }
    await this.save(files, report);
    this.logger.log({ msg: `calibration ${started.id} ${report.state}: ${report.pairsKept} pairs kept, ${report.pairsDropped} dropped, ${report.retakes} re-taken` });
    return report;
  }

  private async save(files: CalibrationFiles, report: CalibrationReport): Promise<void> {
    this.reports.set(report.id, report);
    await files.writeReport(report);
  }
}
