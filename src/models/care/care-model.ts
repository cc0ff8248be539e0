import type * as tf from '@tensorflow/tfjs';
import type { InferenceRuntime, Nhwc } from '../runtime/inference-runtime';
import { openRuntime, type RuntimeChoice } from '../runtime/open-runtime';
import { checkInputShape } from '../store/input-shape';
import { ModelFolderError } from '../store/model-errors';
import type { ModelFolder } from '../store/model-folder';
import { ModelStore } from '../store/model-store';
import { outputChannels } from './care-network';
import { readCareScope, type CareScope } from './care-package';
import { CareRestorer, type Restoration, type RestoreOptions, type RestorerOptions } from './care-restorer';

/** The model the service uses when none is named. */
export const DEFAULT_CARE_MODEL = 'care-default';

export interface CareModelOptions extends RestorerOptions {
  readonly store?: ModelStore;
  readonly runtime?: RuntimeChoice;
}

/** A CARE model opened from its folder, ready to restore frames. */
export class CareModel {
  private readonly restorer: CareRestorer;

  constructor(
    readonly folder: ModelFolder,
    readonly scope: CareScope,
    readonly runtime: InferenceRuntime,
    options: RestorerOptions = {},
  ) {
    this.restorer = new CareRestorer(runtime, scope.architecture, scope.normalization, options, (shape) => this.checkShape(shape), scope);
  }

  get name(): string {
    return this.folder.rdf.name;
  }

  /** The folder's name: what `--model` and the config refer to. */
  get id(): string {
    return this.folder.dir.split(/[\\/]/).pop() ?? this.folder.dir;
  }

  get uncertaintyMethod() {
    return this.restorer.uncertaintyMethod;
  }

  checkShape(shape: Nhwc): void {
    checkInputShape(this.folder.rdf, shape);
  }

  restore(pixels: ArrayLike<number>, widthPx: number, heightPx: number, options?: RestoreOptions): Promise<Restoration> {
    return this.restorer.restore(pixels, widthPx, heightPx, options);
  }

  dispose(): Promise<void> {
    return this.runtime.dispose();
  }
}

/** Checks that a loaded tfjs network matches the architecture its rdf.yaml declares. */
export function checkCareTopology(folder: ModelFolder, scope: CareScope, model: tf.LayersModel): void {
  const inputShape = model.inputs[0]?.shape;
  const outputShape = model.outputs[0]?.shape;
  const channelsOut = outputChannels(scope.architecture);
  if (model.inputs.length !== 1 || inputShape?.length !== 4 || inputShape[3] !== 1) {
    throw new ModelFolderError(folder.dir, `the network takes ${JSON.stringify(model.inputs.map((i) => i.shape))}, not one single-channel 2-D frame`);
  }
  if (outputShape?.length !== 4 || outputShape[3] !== channelsOut) {
    throw new ModelFolderError(folder.dir, `the network outputs ${JSON.stringify(outputShape)}, but config.scope.architecture implies ${channelsOut} channel(s)`);
  }
}

/** Opens a CARE model by name (from the model directories) or by folder path. */
export async function loadCareModel(nameOrPath: string = DEFAULT_CARE_MODEL, options: CareModelOptions = {}): Promise<CareModel> {
  const folder = (options.store ?? new ModelStore()).open(nameOrPath);
  const scope = readCareScope(folder);
  const runtime = await openRuntime(folder, options.runtime ?? 'auto', (model) => checkCareTopology(folder, scope, model));
  return new CareModel(folder, scope, runtime, options);
}
