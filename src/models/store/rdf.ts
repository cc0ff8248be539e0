import { z } from 'zod';

/**
 * The model description every model folder carries (rdf.yaml), after the BioImage Model Zoo's model spec 0.5
 * (bioimage-io/spec-bioimage-io): who made it, what goes in and out (axes, sizes, data types, pre- and
 * post-processing), what it was trained on, which weights are there (with checksums), and, under `config.scope`,
 * what this project needs to run it (kind, architecture, normalisation) and how it scored on which data.
 */

const author = z.object({ name: z.string().min(1), affiliation: z.string().optional(), github_user: z.string().optional() }).passthrough();
const citation = z.object({ text: z.string().min(1), doi: z.string().optional(), url: z.string().optional() }).passthrough();
const fileRef = z.object({ source: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest') }).passthrough();

const sizeSpec = z.union([
  z.number().int().positive(),
  z.object({ min: z.number().int().positive(), step: z.number().int().nonnegative() }).strict(),
  z.object({ tensor_id: z.string(), axis_id: z.string() }).strict(),
]);

const axis = z.discriminatedUnion('type', [
  z.object({ type: z.literal('batch'), size: z.number().int().positive().optional() }).passthrough(),
  z.object({ type: z.literal('channel'), channel_names: z.array(z.string()).min(1) }).passthrough(),
  z.object({ type: z.literal('space'), id: z.enum(['x', 'y', 'z']), size: sizeSpec, halo: z.number().int().nonnegative().optional(), unit: z.string().optional() }).passthrough(),
]);

const processingStep = z.object({ id: z.string().min(1), kwargs: z.record(z.string(), z.unknown()).optional() }).passthrough();

const tensor = z
  .object({
    id: z.string().min(1),
    description: z.string().optional(),
    axes: z.array(axis).min(1),
    data: z.object({ type: z.enum(['float32', 'float64', 'uint8', 'uint16', 'int32']), range: z.tuple([z.number(), z.number()]).optional() }).passthrough(),
    preprocessing: z.array(processingStep).optional(),
    postprocessing: z.array(processingStep).optional(),
    /** The tensor that reproduces the model (see config.scope.test_tensors for what it holds). */
    test_tensor: fileRef.optional(),
  })
  .passthrough();

export const rdfSchema = z
  .object({
    format_version: z.string().regex(/^0\.5\.\d+$/, 'this project reads model spec 0.5.x'),
    type: z.literal('model'),
    name: z.string().min(1),
    description: z.string().min(1),
    authors: z.array(author).min(1),
    cite: z.array(citation).optional(),
    license: z.string().min(1),
    tags: z.array(z.string()).optional(),
    timestamp: z.string().optional(),
    documentation: z.string().optional(),
    inputs: z.array(tensor).length(1, 'this project runs single-input models'),
    outputs: z.array(tensor).min(1),
    training_data: z.object({ type: z.literal('dataset'), name: z.string().min(1), description: z.string().min(1) }).passthrough(),
    weights: z
      .object({
        tensorflow_js: fileRef.extend({ tensorflow_version: z.string().optional() }).optional(),
        onnx: fileRef.extend({ opset_version: z.number().int().positive() }).optional(),
      })
      .passthrough()
      .refine((w) => w.tensorflow_js || w.onnx, 'names no weights this project can run (tensorflow_js or onnx)'),
    attachments: z.array(fileRef).optional(),
    config: z.object({ scope: z.object({ kind: z.string().min(1) }).passthrough() }).passthrough(),
  })
  .passthrough();

export type ModelDescription = z.infer<typeof rdfSchema>;
export type TensorDescription = z.infer<typeof tensor>;
export type AxisDescription = z.infer<typeof axis>;

export const RDF_FILE = 'rdf.yaml';

/** One readable line per problem, with the path of the offending field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
