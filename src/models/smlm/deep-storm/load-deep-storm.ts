import type * as tf from '@tensorflow/tfjs';
import type { InferenceRuntime } from '../../runtime/inference-runtime';
import { openRuntime, type RuntimeChoice } from '../../runtime/open-runtime';
import { ModelFolderError } from '../../store/model-errors';
import { ModelStore } from '../../store/model-store';
import { readDeepStormScope, type DeepStormScope } from './deep-storm-package';

/** The shipped model, used when no other is named. */
export const DEFAULT_DEEP_STORM_MODEL = 'deep-storm-default';

/** A loaded Deep-STORM model: its settings and a runtime to predict with. */
export interface DeepStormEngine {
  readonly name: string;
  readonly dir: string;
  readonly scope: DeepStormScope;
  readonly runtime: InferenceRuntime;
}

function checkNetwork(dir: string, scope: DeepStormScope) {
  return (model: tf.LayersModel): void => {
    const last = model.getLayer('prediction');
    const filters = scope.architecture.filters;
    const lastConv = model.getLayer('conv-F7').getWeights()[0];
    if (!last || lastConv.shape[3] !== filters[6]) {
      throw new ModelFolderError(dir, `the tfjs network does not match config.scope.architecture (filters ${filters.join('-')})`);
    }
  };
}

/**
 * Opens a Deep-STORM model by name (searched in the model store) or folder path, on ONNX Runtime when the
 * folder has an ONNX graph (`auto`), else TensorFlow.js.
 */
export async function openDeepStorm(nameOrPath: string = DEFAULT_DEEP_STORM_MODEL, runtime: RuntimeChoice = 'auto', store = new ModelStore()): Promise<DeepStormEngine> {
  const folder = store.open(nameOrPath);
  const scope = readDeepStormScope(folder);
  return { name: folder.rdf.name, dir: folder.dir, scope, runtime: await openRuntime(folder, runtime, checkNetwork(folder.dir, scope)) };
}
