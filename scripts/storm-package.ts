/** Writes a trained Deep-STORM model as a model folder: rdf.yaml, tfjs weights and the ONNX graph. */
import type * as tf from '@tensorflow/tfjs';
import { deepStormDescription, type DeepStormSettings } from '../src/models/smlm/deep-storm/deep-storm-package';
import { exportDeepStormOnnx } from '../src/models/smlm/deep-storm/onnx-export';
import { writeModelFolder } from '../src/models/store/model-folder';

export async function writeStormPackage(dir: string, name: string, model: tf.LayersModel, scope: DeepStormSettings): Promise<void> {
  const description = deepStormDescription({
    name,
    scope,
    parameters: model.countParams(),
    trainingData: {
      name: 'simulated blinking-emitter movies',
      description:
        'Movies of 64×64 camera pixels (100 nm) from simulators/sample/blinking: dyes on filaments, vesicles or spread uniformly, ' +
        'two-state blinking, pixel-integrated Gaussian PSF (σ 85–140 nm), 600–5000 photons per frame, 5–80 background photons per pixel, ' +
        'camera noise of the virtual specimen; 0.3–10 emitters per µm². Cut into 16×16-pixel patches (128² after ×8 upsampling). Seeded.',
    },
  });
  await writeModelFolder(dir, model, description, [
    { name: 'model.onnx', bytes: Buffer.from(exportDeepStormOnnx(model)), weights: { onnxOpset: 13 } },
  ]);
}
