import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { OperatorFunction } from 'rxjs';
import type { BranchPolicy } from '../acquisition/backpressure/bounded-branch';
import type { Frame } from '../acquisition/frame';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ScopeConfig } from '../config/config.schema';
import { loadCareModel, type CareModel } from './care/care-model';
import { careBranch, type CareBranchStats, type CareRestoredFrame } from './care/live/care-branch';
import { WorkerCareRestorer } from './care/live/worker-restorer';
import { modelsConfigSchema, type ModelsConfig } from './models.config';
import { selectRuntime, type RuntimeReport } from './runtime-probe';
import { initTfjsBackend, type TfjsBackendReport } from './runtime/tfjs-backend';
import { onnxPlacement, type OnnxPlacement } from './runtime/onnx-runtime';
import { ModelStore, SHIPPED_MODELS_DIR } from './store/model-store';
import { describeInputShape } from './store/input-shape';
import { LoadedModels } from './live/loaded-models';

export interface ModelsRuntimeReport extends RuntimeReport {
  /** The TensorFlow.js backend (inference fallback and training), null until selected. */
  readonly tfjs: Pick<TfjsBackendReport, 'backend' | 'packageName' | 'skipped'> | null;
  readonly training: TfjsBackendReport['training'] | null;
  /** Where ONNX Runtime sessions run (provider, threads), null when it is not installed. */
  readonly onnx: OnnxPlacement | null;
  readonly models: { readonly directories: readonly string[]; readonly available: readonly string[]; readonly care: string };
}

/** The service's models: runtime selection, the model store, CARE for batch use and as a live branch. */
@Injectable()
export class ModelsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Models');
  readonly settings: ModelsConfig;
  readonly store: ModelStore;
  /** The models running live: runtime, input shape, recent per-frame latency (health). */
  readonly loaded = new LoadedModels();
  private report!: RuntimeReport;
  private tfjs: TfjsBackendReport | null = null;
  private readonly workers = new Map<string, Promise<WorkerCareRestorer>>();
  private readonly branchStats = new Map<string, CareBranchStats>();

  constructor(@Inject(SCOPE_CONFIG) config: ScopeConfig) {
    this.settings = modelsConfigSchema.parse(config.models);
    this.store = new ModelStore([...this.settings.directories, SHIPPED_MODELS_DIR]);
  }

  async onModuleInit(): Promise<void> {
    this.report = selectRuntime(this.settings.runtime);
    this.tfjs = await initTfjsBackend().catch((err: Error) => {
      this.logger.warn({ msg: `TensorFlow.js backend failed to initialise: ${err.message}` });
      return null;
    });
    this.logger.log({
      msg: this.report.selected
        ? `inference runtime: ${this.report.selected}${this.report.selected === 'onnxruntime-node' ? ` (${onnxPlacement().provider} provider, ${onnxPlacement().threads} threads)` : ''}; tfjs backend ${this.tfjs?.backend ?? 'none'}; training on ${this.tfjs?.training.backend ?? 'none'} (${this.tfjs?.training.gradients ?? 'unavailable'})`
        : 'no inference runtime installed: model features are unavailable',
      runtime: this.report.selected,
      onnx: this.onnxPlacement(),
      preference: this.report.preference,
      tfjsBackend: this.tfjs?.backend ?? null,
      training: this.tfjs?.training ?? null,
    });
  }

  async onModuleDestroy(): Promise<void> {
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.then((r) => r.close(), () => undefined)));
  }

  runtime(): ModelsRuntimeReport {
    const tfjs = this.tfjs;
    return {
      ...this.report,
      tfjs: tfjs && { backend: tfjs.backend, packageName: tfjs.packageName, skipped: tfjs.skipped },
      training: tfjs?.training ?? null,
      onnx: this.onnxPlacement(),
      models: { directories: this.store.directories, available: this.store.list(), care: this.settings.care.model },
    };
  }

  private onnxPlacement(): OnnxPlacement | null {
    return this.report.candidates.some((c) => c.name === 'onnxruntime-node' && c.installed) ? onnxPlacement() : null;
  }

  /** Opens a CARE model in this thread (batch use: CLI, scripts); the caller disposes it. */
  openCare(name: string = this.settings.care.model): Promise<CareModel> {
    return loadCareModel(name, { store: this.store, runtime: this.settings.runtime });
  }

  /**
   * The live CARE branch for a frame stream: inference in a worker thread, frames skipped (and counted) under
   * the configured policy when the model is slower than the camera.
   */
  async careBranch(policy: BranchPolicy = this.settings.care.policy, name: string = this.settings.care.model): Promise<OperatorFunction<Frame, CareRestoredFrame>> {
    let worker = this.workers.get(name);
    if (!worker) {
      worker = WorkerCareRestorer.start(name, { directories: this.store.directories, runtime: this.settings.runtime });
      this.workers.set(name, worker);
      worker.then(
        (restorer) => this.registerLoaded(name, 'care', restorer.runtimeName, 'frame into the branch → restored frame back'),
        () => this.workers.delete(name),
      );
    }
    return careBranch(await worker, policy, (stats) => this.branchStats.set(name, stats));
  }

  /** Records a live model for health: its runtime and its folder's input shape. */
  registerLoaded(name: string, task: 'care' | 'storm', runtime: string, latencyOf: string): void {
    let input: string;
    try {
      input = describeInputShape(this.store.open(name).rdf);
    } catch (err) {
      input = `unknown (${(err as Error).message})`;
    }
    this.loaded.register({ id: name, task, runtime, input, latencyOf });
  }

  /** Counters of the live CARE branches (offered, processed, skipped, failed, queued), by model. */
  careStats(): Record<string, CareBranchStats> {
    return Object.fromEntries(this.branchStats);
  }
}
