import type * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ModelFolderError } from '../store/model-errors';
import { loadTfjsLayersModel, type ModelFolder } from '../store/model-folder';
import type { InferenceRuntime } from './inference-runtime';
import { loadOnnxRuntime, OnnxRuntime } from './onnx-runtime';
import { initTfjsBackend } from './tfjs-backend';
import { TfjsRuntime } from './tfjs-runtime';

/** 'auto': ONNX Runtime when the folder has ONNX weights and onnxruntime-node loads, else TensorFlow.js. */
export type RuntimeChoice = 'auto' | 'onnx' | 'tfjs';

/** Opens the folder's weights on a runtime; `checkTfjsModel` validates a loaded tfjs network against the description. */
export async function openRuntime(folder: ModelFolder, choice: RuntimeChoice, checkTfjsModel: (model: tf.LayersModel) => void): Promise<InferenceRuntime> {
  const onnx = folder.rdf.weights.onnx;
  const useOnnx = choice === 'onnx' || (choice === 'auto' && !!onnx && loadOnnxRuntime() !== null);
  if (useOnnx) {
    if (!onnx) throw new ModelFolderError(folder.dir, 'has no ONNX weights (rdf.yaml weights.onnx)');
    try {
      return await OnnxRuntime.create(readFileSync(join(folder.dir, onnx.source)));
    } catch (err) {
      throw new ModelFolderError(folder.dir, `${onnx.source} does not open in ONNX Runtime (${(err as Error).message})`);
    }
  }
  await initTfjsBackend();
  const model = await loadTfjsLayersModel(folder);
  try {
    checkTfjsModel(model);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return new TfjsRuntime(model);
}
