import { z } from 'zod';

/**
 * The parts of a BioImage.IO model description (rdf.yaml / bioimageio.yaml) this project reads, in the two spec
 * generations still met: 0.5 (axes as objects, `id`s, sha256 on every file) and 0.4 (axes as a letter string,
 * `name`s, test tensors as bare paths). Everything else passes through unread.
 */

const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a sha256 hex digest');
const fileRef = z.object({ source: z.string().min(1), sha256: sha256.optional() }).passthrough();
const kwargs = z.record(z.string(), z.unknown()).optional();

// ---- spec 0.5 ----
const size05 = z.union([
  z.number().int().positive(),
  z.object({ min: z.number().int().positive(), step: z.number().int().nonnegative() }),
  z.object({ tensor_id: z.string(), axis_id: z.string(), offset: z.number().int().optional() }),
]);
const axis05 = z.discriminatedUnion('type', [
  z.object({ type: z.literal('batch'), id: z.string().optional(), size: z.number().int().positive().nullish() }).passthrough(),
  z.object({ type: z.literal('channel'), id: z.string().optional(), channel_names: z.array(z.string()).min(1) }).passthrough(),
  z.object({ type: z.literal('space'), id: z.string().optional(), size: size05, halo: z.number().int().nonnegative().optional(), scale: z.number().positive().optional() }).passthrough(),
  z.object({ type: z.literal('time'), id: z.string().optional() }).passthrough(),
  z.object({ type: z.literal('index'), id: z.string().optional() }).passthrough(),
]);
const processing05 = z.object({ id: z.string().min(1), kwargs }).passthrough();
const tensor05 = z
  .object({
    id: z.string().min(1),
    axes: z.array(axis05).min(1),
    test_tensor: fileRef,
    data: z.unknown().optional(),
    preprocessing: z.array(processing05).optional(),
    postprocessing: z.array(processing05).optional(),
  })
  .passthrough();
const tolerance05 = z
  .object({
    relative_tolerance: z.number().nonnegative().optional(),
    absolute_tolerance: z.number().nonnegative().optional(),
    mismatched_elements_per_million: z.number().nonnegative().optional(),
    weights_formats: z.array(z.string()).optional(),
  })
  .passthrough();

export const rdf05Schema = z
  .object({
    format_version: z.string().regex(/^0\.5\.\d+$/),
    type: z.literal('model'),
    name: z.string().min(1),
    inputs: z.array(tensor05).min(1),
    outputs: z.array(tensor05).min(1),
    weights: z.record(z.string(), fileRef.extend({ opset_version: z.number().int().positive().optional() }).nullish()),
    config: z.object({ bioimageio: z.object({ reproducibility_tolerance: z.array(tolerance05).optional() }).passthrough().optional() }).passthrough().optional(),
  })
  .passthrough();

// ---- spec 0.4 ----
const shape04 = z.union([
  z.array(z.number().int().positive()),
  z.object({ min: z.array(z.number().int().positive()), step: z.array(z.number().int().nonnegative()) }),
  z.object({ reference_tensor: z.string(), scale: z.array(z.number().nullable()), offset: z.array(z.number()) }),
]);
const processing04 = z.object({ name: z.string().min(1), kwargs }).passthrough();
const tensor04 = z
  .object({
    name: z.string().min(1),
    axes: z.string().regex(/^[bcyxzti]+$/, "letters of 'bcyxzti'"),
    data_type: z.string().optional(),
    shape: shape04,
    halo: z.array(z.number().int().nonnegative()).optional(),
    preprocessing: z.array(processing04).optional(),
    postprocessing: z.array(processing04).optional(),
  })
  .passthrough();

export const rdf04Schema = z
  .object({
    format_version: z.string().regex(/^0\.4\.\d+$/),
    type: z.literal('model').optional(),
    name: z.string().min(1),
    inputs: z.array(tensor04).min(1),
    outputs: z.array(tensor04).min(1),
    test_inputs: z.array(z.string().min(1)).min(1),
    test_outputs: z.array(z.string().min(1)).min(1),
    weights: z.record(z.string(), fileRef.extend({ opset_version: z.number().int().positive().optional() }).nullish()),
  })
  .passthrough();

export type Rdf05 = z.infer<typeof rdf05Schema>;
export type Rdf04 = z.infer<typeof rdf04Schema>;
export type Tensor05 = z.infer<typeof tensor05>;
export type Tensor04 = z.infer<typeof tensor04>;
export type Axis05 = z.infer<typeof axis05>;
