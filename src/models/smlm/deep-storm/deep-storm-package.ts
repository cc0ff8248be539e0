import { z } from 'zod';
import { ModelFolderError } from '../../store/model-errors';
import type { DescriptionWithoutFiles, ModelFolder } from '../../store/model-folder';
import { describeIssues } from '../../store/rdf';
import { PAPER_ARCHITECTURE, type DeepStormArchitecture } from './architecture';
import { PREDICTED_MASS_PER_EMITTER } from './heatmap';

const positiveInt = z.number().int().positive();

/** What a Deep-STORM model folder's rdf.yaml holds under config.scope. */
export const deepStormScopeSchema = z
  .object({
    kind: z.literal('deep-storm'),
    architecture: z.object({ filters: z.tuple([positiveInt, positiveInt, positiveInt, positiveInt, positiveInt, positiveInt, positiveInt]), kernelSize: positiveInt }).strict(),
    /** Super-resolution factor: the network runs on frames upsampled ×upsampling by nearest neighbour. */
    upsampling: positiveInt,
    /** Mean and std of [0,1]-projected training frames (the paper's meanstd file). */
    normalization: z.object({ mean: z.number(), std: z.number().positive() }).strict(),
    /** Predicted density mass of one emitter. */
    massPerEmitter: z.number().positive(),
    /** Per-frame localisations: peak threshold (fraction of one emitter's mass) and box half-width (SR pixels). */
    localisation: z.object({ threshold: z.number().positive(), radiusPx: z.number().int().nonnegative() }).strict(),
    /** Camera pixel size of the training data, nm: the model works in camera pixels. */
    trainingPixelSizeNm: z.number().positive(),
    training: z.record(z.string(), z.unknown()).optional(),
    evaluation: z.array(z.object({ data: z.string().min(1), metrics: z.record(z.string(), z.union([z.string(), z.number()])) }).passthrough()).optional(),
  })
  .passthrough();

export type DeepStormScope = z.infer<typeof deepStormScopeSchema>;

export function readDeepStormScope(folder: ModelFolder): DeepStormScope {
  const parsed = deepStormScopeSchema.safeParse(folder.rdf.config.scope);
  if (!parsed.success) throw new ModelFolderError(folder.dir, `is not a Deep-STORM model: config.scope: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The settings a trained model carries (the scope without its fixed fields). */
export interface DeepStormSettings {
  readonly architecture: { filters: DeepStormScope['architecture']['filters']; kernelSize: number };
  readonly upsampling: number;
  readonly normalization: { mean: number; std: number };
  readonly localisation: { threshold: number; radiusPx: number };
  readonly trainingPixelSizeNm: number;
  readonly training?: Record<string, unknown>;
  readonly evaluation?: DeepStormScope['evaluation'];
}

export interface DeepStormDescriptionInput {
  readonly name: string;
  readonly scope: DeepStormSettings;
  readonly parameters: number;
  readonly trainingData: { readonly name: string; readonly description: string } & Record<string, unknown>;
}

const CITATION = {
  text: 'Nehme, E., Weiss, L. E., Michaeli, T. & Shechtman, Y. Deep-STORM: super-resolution single-molecule microscopy by deep learning. Optica 5, 458–464 (2018).',
  doi: '10.1364/OPTICA.5.000458',
};

function architectureNote(a: DeepStormArchitecture, parameters: number): string {
  const same = a.filters.every((f, i) => f === PAPER_ARCHITECTURE.filters[i]);
  return same
    ? `the paper's architecture (filters ${a.filters.join('-')}, ${parameters} parameters)`
    : `a reduced-width variant of the paper's architecture: filters ${a.filters.join('-')} instead of ${PAPER_ARCHITECTURE.filters.join('-')} ` +
        `(${parameters} parameters instead of 1.37 M), so that it trains on a CPU in minutes`;
}

/** The rdf.yaml content of a Deep-STORM model, in the BioImage Model Zoo's model spec 0.5 layout. */
export function deepStormDescription(input: DeepStormDescriptionInput): DescriptionWithoutFiles {
  const s = input.scope;
  const scope: DeepStormScope = deepStormScopeSchema.parse({ kind: 'deep-storm', ...s, massPerEmitter: PREDICTED_MASS_PER_EMITTER });
  const space = (id: 'y' | 'x') => ({ type: 'space' as const, id, size: { min: 8, step: 8 } });
  const outputSpace = (id: 'y' | 'x') => ({ type: 'space' as const, id, size: { tensor_id: 'upsampled_frame', axis_id: id } });
  return {
    format_version: '0.5.4',
    type: 'model',
    name: input.name,
    description:
      `Deep-STORM (Nehme et al. 2018): emitter density on a ×${s.upsampling} grid from one blinking-emitter camera frame, ` +
      `summed over frames into a super-resolved image. Architecture: ${architectureNote(s.architecture, input.parameters)}.`,
    authors: [{ name: 'scope-controller contributors' }],
    cite: [CITATION],
    license: 'MIT',
    tags: ['smlm', 'storm', 'palm', 'super-resolution', 'localization', 'deep-storm', 'fluorescence-light-microscopy', 'tensorflow-js', 'onnx'],
    timestamp: new Date().toISOString(),
    inputs: [
      {
        id: 'upsampled_frame',
        description: `one camera frame projected onto [0,1] by its min and max, standardised, upsampled ×${s.upsampling} by nearest neighbour; tensors are NHWC`,
        axes: [{ type: 'batch' }, space('y'), space('x'), { type: 'channel', channel_names: ['intensity'] }],
        data: { type: 'float32' },
        preprocessing: [
          { id: 'ensure_dtype', kwargs: { dtype: 'float32' } },
          { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 0, max_percentile: 100 } },
          { id: 'fixed_zero_mean_unit_variance', kwargs: { mean: s.normalization.mean, std: s.normalization.std } },
          { id: 'scope.upsample_nearest', kwargs: { factor: s.upsampling } },
        ],
      },
    ],
    outputs: [
      {
        id: 'density',
        description: `emitter density; one emitter integrates to ${PREDICTED_MASS_PER_EMITTER}`,
        axes: [{ type: 'batch' }, outputSpace('y'), outputSpace('x'), { type: 'channel', channel_names: ['density'] }],
        data: { type: 'float32' },
        postprocessing: [{ id: 'clip', kwargs: { min: 0 } }],
      },
    ],
    training_data: { type: 'dataset', ...input.trainingData },
    config: { scope },
  };
}
