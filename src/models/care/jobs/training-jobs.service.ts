import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { AcquisitionService } from '../../../acquisition/service/acquisition.service';
import { SCOPE_CONFIG } from '../../../config/config.module';
import { WorkerHost } from '../../runtime/worker-host';
import { CalibrationService } from '../calibration/calibration.service';
import type { CareTrainingSettings } from '../care-training.config';
import { CARE_DEPLOYER, type CareDeployer } from './care-deployer';
import { loadJobData } from './run-training-job';
import type { TrainingJobProgress, TrainingJobSpec, TrainingJobStatus } from './training-job';
import { TrainingPause } from './training-pause';
import type { TrainingRequest } from './training-request';
import type { TrainingWorkerInit, TrainingWorkerReady, TrainingWorkerReply, TrainingWorkerRequest } from './training-worker-messages';

export class TrainingJobNotFoundError extends Error {
  override readonly name = 'TrainingJobNotFoundError';
}

/** Cancel of a job that is over, or deploy of one without a model: 409. */
export class TrainingJobStateError extends Error {
  override readonly name = 'TrainingJobStateError';
}

type Host = WorkerHost<TrainingWorkerReady, TrainingWorkerRequest, TrainingWorkerReply>;

const POLL_MS = 250;
/** A worker that dies while the service runs (killed, out of memory) is restarted from the checkpoint this often per job. */
const WORKER_RESTARTS = 2;
const ID = /^train-[0-9a-z-]+$/;

/**
 * CARE and Noise2Void training jobs, one at a time, each in a worker thread. A job's state lives in
 * <storage.directory>/care-trainings/<id>/job.json (and its checkpoints beside it): a service that restarts, or a
 * worker that dies, goes on from the last epoch's checkpoint. Progress is polled from the worker and published on
 * `events$` (socket.io `training`) and in job.json.
 */
@Injectable()
export class TrainingJobsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CareTraining');
  private readonly jobs = new Map<string, TrainingJobStatus>();
  private readonly hosts = new Map<string, Host>();
  private readonly done = new Map<string, Promise<TrainingJobStatus>>();
  private readonly restarts = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private closing = false;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly eventsSubject = new Subject<TrainingJobStatus>();
  /** Every change of a job: progress, state, outcome. */
  readonly events$: Observable<TrainingJobStatus> = this.eventsSubject.asObservable();
  /** Set while an acquisition runs, when careTraining.background.duringAcquisition is 'pause'. */
  private readonly pause = new TrainingPause();
  private pausedSinceMs: number | null = null;
  private pausing?: Subscription;

  constructor(
    @Inject(SCOPE_CONFIG) private readonly config: CareTrainingSettings,
    private readonly calibrations: CalibrationService,
    @Optional() @Inject(CARE_DEPLOYER) private readonly deployer?: CareDeployer,
    @Optional() private readonly acquisitions?: AcquisitionService,
  ) {}

  get root(): string {
    return resolve(this.config.storage.directory, 'care-trainings');
  }

  /** Jobs that were queued or running when the service stopped go on, from their checkpoints. */
  async onModuleInit(): Promise<void> {
    if (this.config.careTraining.background.duringAcquisition === 'pause')
      this.pausing = this.acquisitions?.running$.subscribe((running) => this.pauseWhile(running));
    if (!existsSync(this.root)) return;
    for (const id of (await readdir(this.root)).sort()) {
      const path = join(this.root, id, 'job.json');
      if (!existsSync(path)) continue;
      const job = JSON.parse(await readFile(path, 'utf8')) as TrainingJobStatus;
      this.jobs.set(job.id, job);
      if (job.state === 'queued' || job.state === 'running') {
        this.logger.log({ msg: `training ${job.id} was ${job.state} when the service stopped: going on from its checkpoint` });
        this.enqueue(job.spec);
      }
    }
  }

  /** Stops workers at once, leaving job.json as it is (running): the next start resumes them from the checkpoint. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.pausing?.unsubscribe();
    await Promise.all([...this.hosts.values()].map((host) => host.terminate()));
  }

  /** Checks the data on this thread (a clear 400 before any worker starts), then queues the job. */
  async start(request: TrainingRequest): Promise<TrainingJobStatus> {
    const defaults = this.config.careTraining.training;
    const id = `train-${new Date().toISOString().replace(/[:.]/g, '-').toLowerCase()}-${randomUUID().slice(0, 8)}`;
    const calibration = request.calibrationId ? await this.calibrations.get(request.calibrationId) : undefined;
    if (calibration && calibration.state !== 'finished') {
      throw new TrainingJobStateError(`calibrationId: calibration ${calibration.id} is ${calibration.state}${calibration.error ? ` (${calibration.error})` : ''}; train on a finished one`);
    }
    const dataDir = resolve(calibration?.directory ?? request.pairsDir ?? request.noisyDir!);
    const name = request.name ?? `${request.mode === 'n2v' ? 'n2v' : 'care'}-${id.slice('train-'.length)}`;
    const spec: TrainingJobSpec = {
      id,
      name,
      mode: request.mode,
      data: { kind: request.noisyDir ? 'frames' : 'pairs', dir: dataDir, ...(calibration ? { calibrationId: calibration.id } : {}) },
      network: request.network ?? defaults.network,
      epochs: request.epochs ?? defaults.epochs,
      stepsPerEpoch: request.stepsPerEpoch ?? defaults.stepsPerEpoch,
      batch: request.batch ?? defaults.batch,
      patchPx: request.patchPx ?? defaults.patchPx,
      patchesPerImage: request.patchesPerImage ?? defaults.patchesPerImage,
      learningRate: request.learningRate ?? defaults.learningRate,
      heldOutPairs: request.heldOutPairs ?? defaults.heldOutPairs,
      minGainDb: defaults.minGainDb,
      seed: request.seed ?? defaults.seed,
      deploy: request.deploy,
      modelDir: resolve(this.config.storage.directory, 'care-models', name),
    };
    if (existsSync(spec.modelDir)) throw new TrainingJobStateError(`name: a model "${name}" exists already (${spec.modelDir}); choose another name`);
    await loadJobData(spec, calibration ? 'calibrationId' : request.noisyDir ? 'noisyDir' : 'pairsDir');
    await mkdir(join(this.root, id), { recursive: true });
    const now = new Date().toISOString();
    await this.save({ id, state: 'queued', spec, createdAt: now, updatedAt: now, progress: null, history: [], resumes: [] });
    this.enqueue(spec);
    return this.jobs.get(id)!;
  }

  async get(id: string): Promise<TrainingJobStatus> {
    const job = this.jobs.get(id);
    if (job) return job;
    const path = join(this.root, id, 'job.json');
    if (!ID.test(id) || !existsSync(path)) throw new TrainingJobNotFoundError(`no training ${id}`);
    return JSON.parse(await readFile(path, 'utf8')) as TrainingJobStatus;
  }

  list(): TrainingJobStatus[] {
    return [...this.jobs.values()];
  }

  /** Resolves once the job is over (finished, failed or cancelled). */
  async finished(id: string): Promise<TrainingJobStatus> {
    const job = await this.get(id);
    return (await this.done.get(id)) ?? job;
  }

  async cancel(id: string): Promise<TrainingJobStatus> {
    const job = await this.get(id);
    if (job.state !== 'queued' && job.state !== 'running') throw new TrainingJobStateError(`training ${id} is ${job.state}: nothing to cancel`);
    const host = this.hosts.get(id);
    if (host) await host.request({ type: 'cancel' });
    else await this.update(id, { state: 'cancelled', error: 'cancelled before it started' });
    return this.jobs.get(id)!;
  }

  /** Hot-swaps a trained model into the live CARE branch. */
  async deploy(id: string): Promise<TrainingJobStatus> {
    const job = await this.get(id);
    if (!job.outcome) throw new TrainingJobStateError(`training ${id} is ${job.state} and has no model to deploy yet`);
    await this.deployNow(job);
    return this.jobs.get(id)!;
  }

  async deployModel(modelId: string): Promise<TrainingJobStatus> {
    const job = [...this.jobs.values()].find((j) => j.outcome?.modelId === modelId);
    if (!job) throw new TrainingJobNotFoundError(`no trained model ${modelId}`);
    return this.deploy(job.id);
  }

  private async deployNow(job: TrainingJobStatus): Promise<void> {
    if (!this.deployer) throw new TrainingJobStateError('the live CARE branch cannot be swapped in this service');
    const modelId = await this.deployer.deployCare(job.outcome!.modelDir);
    await this.update(job.id, { deployed: { modelId, at: new Date().toISOString() } });
  }

  private enqueue(spec: TrainingJobSpec): void {
    const run = this.queue.then(() => this.run(spec));
    this.queue = run.catch(() => undefined);
    this.done.set(spec.id, run);
  }

  private async run(spec: TrainingJobSpec): Promise<TrainingJobStatus> {
    const jobDir = join(this.root, spec.id);
    if (this.closing || this.jobs.get(spec.id)?.state === 'cancelled') return this.jobs.get(spec.id)!;
    let host: Host | undefined;
    let timer: NodeJS.Timeout | undefined;
    const startedMs = Date.now();
    try {
      host = await WorkerHost.start<TrainingWorkerReady, TrainingWorkerRequest, TrainingWorkerReply>({
        directory: __dirname,
        entry: 'training-worker',
        callerFile: __filename,
        workerData: { spec, jobDir, pause: this.pause.buffer } satisfies TrainingWorkerInit,
        label: `training worker for ${spec.id}`,
      });
      this.hosts.set(spec.id, host);
      const { priority } = host.ready;
      this.logger.log({
        msg: `training ${spec.id} runs on ${host.ready.backend} in a worker thread at nice ${priority.nice ?? `unchanged (${priority.unchanged})`}${priority.idleClass ? ', SCHED_IDLE' : ''}`,
        threadId: priority.threadId,
      });
      const resumed = host.ready.resumeFrom;
      const job = this.jobs.get(spec.id)!;
      const waiting = this.pausedSinceMs !== null ? { since: new Date(this.pausedSinceMs).toISOString(), reason: 'an acquisition is running', totalS: job.paused?.totalS ?? 0 } : undefined;
      await this.update(spec.id, {
        state: 'running',
        ...(resumed ? { resumes: [...job.resumes, { at: new Date().toISOString(), ...resumed }] } : {}),
        ...(waiting ? { paused: waiting } : {}),
      });
      const poll = host;
      timer = setInterval(() => void this.poll(spec.id, poll, startedMs), POLL_MS);
      const reply = await host.request({ type: 'train' });
      clearInterval(timer);
      if (reply.type !== 'trained') throw new Error(`the training worker answered ${reply.type}`);
      await this.poll(spec.id, host, startedMs);
      await this.update(spec.id, { state: 'finished', outcome: reply.outcome });
      this.logger.log({ msg: `training ${spec.id} finished: ${reply.outcome.evaluation.note}` });
      if (spec.deploy) {
        if (reply.outcome.evaluation.verdict === 'beats-classical') await this.deployNow(this.jobs.get(spec.id)!).catch((err: Error) => this.update(spec.id, { deployed: { error: err.message } }));
        else await this.update(spec.id, { deployed: { error: `not deployed: ${reply.outcome.evaluation.note}` } });
      }
    } catch (err) {
      if (timer) clearInterval(timer);
      // The service is stopping: the job stays as it is on disk, and the next start goes on from its checkpoint.
      if (this.closing) return this.jobs.get(spec.id)!;
      const error = err as Error;
      const restarts = this.restarts.get(spec.id) ?? 0;
      if (error.name === 'WorkerExitedError' && restarts < WORKER_RESTARTS) {
        this.restarts.set(spec.id, restarts + 1);
        this.logger.warn({ msg: `training ${spec.id}: ${error.message}; going on from its checkpoint (restart ${restarts + 1} of ${WORKER_RESTARTS})` });
        this.hosts.delete(spec.id);
        return this.run(spec);
      }
      const cancelled = error.name === 'TrainingCancelledError';
      await this.update(spec.id, { state: cancelled ? 'cancelled' : 'failed', error: error.message });
      if (!cancelled) this.logger.warn({ msg: `training ${spec.id} failed: ${error.message}` });
    } finally {
      this.hosts.delete(spec.id);
      if (!this.closing) await host?.close();
    }
    return this.jobs.get(spec.id)!;
  }

  /** Training waits between steps while an acquisition runs; each running job records for how long. */
  private pauseWhile(running: boolean): void {
    if (running === this.pause.paused) return;
    this.pause.set(running);
    const now = Date.now();
    const waitedS = !running && this.pausedSinceMs !== null ? (now - this.pausedSinceMs) / 1000 : 0;
    this.pausedSinceMs = running ? now : null;
    if (running) this.logger.log({ msg: 'an acquisition started: training waits for it to end (careTraining.background.duringAcquisition: pause)' });
    for (const id of this.hosts.keys()) {
      const before = this.jobs.get(id)?.paused?.totalS ?? 0;
      void this.update(id, {
        paused: running
          ? { since: new Date(now).toISOString(), reason: 'an acquisition is running', totalS: before }
          : { since: null, reason: null, totalS: Math.round((before + waitedS) * 10) / 10 },
      });
    }
  }

  private async poll(id: string, host: Host, startedMs: number): Promise<void> {
    const reply = await host.request({ type: 'progress' }).catch(() => undefined);
    if (!reply || reply.type !== 'progress' || !reply.progress || this.closing) return;
    const p = reply.progress;
    const elapsedS = (Date.now() - startedMs) / 1000;
    const done = this.jobs.get(id)?.resumes.length ? Math.max(1, p.stepsDone - (this.resumedSteps(id) ?? 0)) : p.stepsDone;
    const progress: TrainingJobProgress = {
      phase: p.phase,
      epoch: p.epoch,
      epochs: p.epochs,
      step: p.step,
      stepsPerEpoch: p.stepsPerEpoch,
      stepsDone: p.stepsDone,
      stepsTotal: p.stepsTotal,
      loss: p.loss,
      validationLoss: p.validationLoss,
      learningRate: p.learningRate,
      elapsedMs: p.elapsedMs,
      etaS: done > 0 ? ((p.stepsTotal - p.stepsDone) * elapsedS) / done : null,
    };
    await this.update(id, { progress, history: reply.history });
  }

  /** Steps already done when the current run resumed (so the ETA counts only this run's pace). */
  private resumedSteps(id: string): number | undefined {
    const job = this.jobs.get(id);
    const last = job?.resumes.at(-1);
    if (!job || !last) return undefined;
    const stepsPerEpoch = job.spec.stepsPerEpoch;
    return last.phase === 'restoration' ? last.epoch * stepsPerEpoch : (job.spec.epochs + last.epoch) * stepsPerEpoch;
  }

  private async update(id: string, change: Partial<TrainingJobStatus>): Promise<void> {
    const job = this.jobs.get(id)!;
    await this.save({ ...job, ...change, updatedAt: new Date().toISOString() });
  }

  /** Writes job.json whole and renames it into place, one write at a time, so a kill leaves the old or the new file. */
  private save(job: TrainingJobStatus): Promise<void> {
    this.jobs.set(job.id, job);
    this.eventsSubject.next(job);
    const path = join(this.root, job.id, 'job.json');
    const write = this.writes.then(async () => {
      await writeFile(`${path}.tmp`, `${JSON.stringify(this.jobs.get(job.id), null, 2)}\n`);
      await rename(`${path}.tmp`, path);
    });
    this.writes = write.catch((err: Error) => this.logger.warn({ msg: `could not write ${path}: ${err.message}` }));
    return write;
  }
}
