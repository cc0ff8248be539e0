import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ModelsSettings } from './models.config';
import { loadCareModel, type CareModel } from './care/care-model';
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

/** The service's models: runtime selection, the model store, CARE for batch use, the models running live. */
@Injectable()
export class ModelsService implements OnModuleInit {
  private readonly logger = new Logger('Models');
  readonly settings: ModelsConfig;
  readonly store: ModelStore;
  /** The models running live: runtime, input shape, recent per-frame latency (health). */
  readonly loaded = new LoadedModels();
  private report!: RuntimeReport;
  private tfjs: TfjsBackendReport | null = null;

  constructor(@Inject(SCOPE_CONFIG) config: ModelsSettings) {
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

  /** The first input of a model folder, as health shows it (what went wrong, when it cannot be read). */
  inputShapeOf(name: string): string {
    try {
      return describeInputShape(this.store.open(name).rdf);
    } catch (err) {
      return `unknown (${(err as Error).message})`;
    }
  }
}
