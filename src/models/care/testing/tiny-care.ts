import type * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFolder, type ModelFolder } from '../../store/model-folder';
import type { CareConfig } from '../care-config';
import { buildCareNetwork } from '../care-network';
import { careDescription } from '../care-package';

/** A CARE network small enough for unit tests (random weights unless trained). */
export const TINY_CARE_CONFIG: CareConfig = { kernelSize: 3, depth: 2, firstFilters: 4, convsPerLevel: 2, residual: true, probabilistic: true };

export function tinyCareNetwork(config: CareConfig = TINY_CARE_CONFIG, seed = 3): tf.LayersModel {
  return buildCareNetwork(config, seed);
}

/** Writes a model folder for the network into a fresh temporary directory (or `dir`). */
export async function writeTinyCareFolder(model: tf.LayersModel, config: CareConfig = TINY_CARE_CONFIG, dir?: string): Promise<ModelFolder> {
  const target = dir ?? join(mkdtempSync(join(tmpdir(), 'care-model-')), 'tiny-care');
  return writeModelFolder(
    target,
    model,
    careDescription({
      name: 'tiny CARE for tests',
      description: 'random weights',
      architecture: config,
      training: { mode: 'supervised' },
      trainingData: { name: 'none', description: 'untrained' },
    }),
  );
}
