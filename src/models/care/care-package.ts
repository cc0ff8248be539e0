import { z } from 'zod';
import { ModelFolderError } from '../store/model-errors';
import { openModelFolder, rewriteModelDescription, type DescriptionWithoutFiles, type ModelFolder } from '../store/model-folder';
import { describeIssues } from '../store/rdf';
import { careConfigSchema, receptiveFieldRadiusPx, sizeMultiple, type CareConfig } from './care-config';
import { trainingFingerprintSchema, type TrainingFingerprint } from './input-check';
import { CSBDEEP_PERCENTILES, type NormalizationSettings } from './normalization';
import { qualityCalibrationSchema, type QualityCalibration } from './quality-calibration';

/** What a CARE model folder's rdf.yaml holds under config.scope. */
export const careScopeSchema = z
  .object({
    kind: z.literal('care'),
    architecture: careConfigSchema,
    normalization: z.object({ lowPercent: z.number().min(0).max(100), highPercent: z.number().min(0).max(100) }).strict(),
    /** supervised: CARE on low/high-dose pairs; self-supervised: Noise2Void blind-spot training on noisy frames. */
    training: z.object({ mode: z.enum(['supervised', 'self-supervised']) }).passthrough(),
    evaluation: z.array(z.object({ data: z.string().min(1), metrics: z.array(z.record(z.string(), z.union([z.string(), z.number()]))) }).passthrough()).optional(),
    /** What the training inputs looked like: frames far outside it are marked "outside the model's training range". */
    trainingFingerprint: trainingFingerprintSchema.optional(),
    /** The map from the network's predicted PSNR to measured PSNR, fitted on held-out pairs. */
    qualityCalibration: qualityCalibrationSchema.optional(),
  })
  .passthrough();

export type CareScope = z.infer<typeof careScopeSchema>;

export function readCareScope(folder: ModelFolder): CareScope {
  const kind = folder.rdf.config.scope.kind;
  if (kind !== 'care') throw new ModelFolderError(folder.dir, `is not a CARE model: config.scope.kind is "${kind}"`);
  const parsed = careScopeSchema.safeParse(folder.rdf.config.scope);
  if (!parsed.success) throw new ModelFolderError(folder.dir, `is not a CARE model: config.scope: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Adds a PSNR calibration to a written package, where the shipped default keeps its own (config.scope.qualityCalibration). */
export function storeQualityCalibration(dir: string, calibration: QualityCalibration): ModelFolder {
  const folder = openModelFolder(dir);
  const scope = careScopeSchema.parse({ ...readCareScope(folder), qualityCalibration: calibration });
  return rewriteModelDescription(folder, { ...folder.rdf, config: { ...folder.rdf.config, scope } });
}

export interface CareDescriptionInput {
  readonly name: string;
  readonly description: string;
  readonly architecture: CareConfig;
  readonly normalization?: NormalizationSettings;
  readonly training: CareScope['training'];
  readonly trainingData: { readonly name: string; readonly description: string } & Record<string, unknown>;
  readonly evaluation?: CareScope['evaluation'];
  readonly trainingFingerprint?: TrainingFingerprint;
  readonly qualityCalibration?: QualityCalibration;
  readonly authors?: ReadonlyArray<{ name: string; affiliation?: string }>;
  readonly license?: string;
}

const CITATIONS = [
  { text: 'Weigert, M. et al. Content-aware image restoration: pushing the limits of fluorescence microscopy. Nature Methods 15, 1090–1097 (2018).', doi: '10.1038/s41592-018-0216-7' },
  { text: 'Krull, A., Buchholz, T.-O. & Jug, F. Noise2Void – learning denoising from single noisy images. CVPR 2019.', doi: '10.1109/CVPR.2019.00223' },
  { text: 'Batson, J. & Royer, L. Noise2Self: blind denoising by self-supervision. ICML 2019.', url: 'https://proceedings.mlr.press/v97/batson19a.html' },
];

/** The rdf.yaml content of a CARE model, in the BioImage Model Zoo's model spec 0.5 layout. */
export function careDescription(input: CareDescriptionInput): DescriptionWithoutFiles {
  const normalization = input.normalization ?? CSBDEEP_PERCENTILES;
  const step = sizeMultiple(input.architecture);
  const halo = receptiveFieldRadiusPx(input.architecture);
  const space = (id: 'y' | 'x') => ({ type: 'space' as const, id, size: { min: step, step } });
  const outputSpace = (id: 'y' | 'x') => ({ type: 'space' as const, id, size: { tensor_id: 'raw', axis_id: id }, halo });
  const scope: CareScope = {
    kind: 'care',
    architecture: input.architecture,
    normalization,
    training: input.training,
    ...(input.evaluation ? { evaluation: input.evaluation } : {}),
    ...(input.trainingFingerprint ? { trainingFingerprint: input.trainingFingerprint } : {}),
    ...(input.qualityCalibration ? { qualityCalibration: input.qualityCalibration } : {}),
  };
  return {
    format_version: '0.5.4',
    type: 'model',
    name: input.name,
    description: input.description,
    authors: (input.authors ?? [{ name: 'scope-controller contributors' }]).map((a) => ({ ...a })),
    cite: CITATIONS.filter((_, i) => i === 0 || input.training.mode === 'self-supervised'),
    license: input.license ?? 'MIT',
    tags: ['denoising', 'care', 'unet2d', 'fluorescence-light-microscopy', 'tensorflow-js', ...(input.training.mode === 'self-supervised' ? ['noise2void'] : [])],
    timestamp: new Date().toISOString(),
    inputs: [
      {
        id: 'raw',
        description: 'one camera frame (any size: larger or odd-sized frames are padded and predicted in overlapping tiles)',
        axes: [{ type: 'batch' }, { type: 'channel', channel_names: ['raw_intensity'] }, space('y'), space('x')],
        data: { type: 'float32' },
        preprocessing: [
          { id: 'ensure_dtype', kwargs: { dtype: 'float32' } },
          { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: normalization.lowPercent, max_percentile: normalization.highPercent, eps: 1e-20 } },
        ],
      },
    ],
    outputs: [
      {
        id: 'restored',
        description: input.architecture.probabilistic
          ? 'channel 0: the restored frame; channel 1: the scale b of a Laplace distribution around it (standard deviation √2·(b + 0.001)), both in normalised units'
          : 'the restored frame in normalised units',
        axes: [{ type: 'batch' }, { type: 'channel', channel_names: input.architecture.probabilistic ? ['restored', 'laplace_scale'] : ['restored'] }, outputSpace('y'), outputSpace('x')],
        data: { type: 'float32' },
        postprocessing: [{ id: 'scope.inverse_scale_range', kwargs: { reference_tensor: 'raw', min_percentile: normalization.lowPercent, max_percentile: normalization.highPercent } }],
      },
    ],
    training_data: { type: 'dataset', ...input.trainingData },
    config: { scope },
  };
}
