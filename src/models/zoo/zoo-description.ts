import type { Rdf04, Rdf05, Tensor04, Tensor05 } from './zoo-rdf-schema';
import { axisId05, canonicalAxes, DescriptionProblem, type AxisId } from './axis-ids';
import { parseProcessingStep, type ProcessingStep } from './processing-steps';

export { DescriptionProblem, type AxisId } from './axis-ids';

/**
 * One description for both spec generations: what goes in and out of the network (axes in the network's order,
 * sizes, halo), the processing around it, the files used (with their sha256 where stated) and the reproduction
 * tolerance. Axis ids are canonical single letters: b (batch), c (channel), y, x, z, t, i.
 */

export type AxisSize =
  | { readonly kind: 'fixed'; readonly size: number }
  | { readonly kind: 'parametrized'; readonly min: number; readonly step: number }
  | { readonly kind: 'reference'; readonly tensorId: string; readonly axisId: AxisId; readonly scale: number; readonly offset: number }
  | { readonly kind: 'any' };

export interface ZooAxis {
  readonly id: AxisId;
  readonly size: AxisSize;
  /** Pixels at each border of an output that are unreliable and cut off when tiling. */
  readonly halo: number;
}

export interface ZooFile {
  readonly source: string;
  readonly sha256?: string;
}

export interface ZooTensor {
  readonly id: string;
  readonly axes: readonly ZooAxis[];
  readonly channelNames?: readonly string[];
  readonly preprocessing: readonly ProcessingStep[];
  readonly postprocessing: readonly ProcessingStep[];
  readonly testTensor: ZooFile;
}

export interface ReproductionTolerance {
  readonly relative: number;
  readonly absolute: number;
  readonly mismatchedPerMillion: number;
}

/** BioImage.IO's defaults (spec 0.5.4 ReproducibilityTolerance, used by bioimageio.core's test_model). */
export const DEFAULT_TOLERANCE: ReproductionTolerance = { relative: 1e-3, absolute: 1e-4, mismatchedPerMillion: 100 };

export interface ZooDescription {
  readonly formatVersion: string;
  readonly name: string;
  readonly inputs: readonly ZooTensor[];
  readonly outputs: readonly ZooTensor[];
  /** Every weights format the package names, e.g. ['onnx', 'pytorch_state_dict', 'torchscript']. */
  readonly weightFormats: readonly string[];
  readonly onnx?: ZooFile & { readonly opsetVersion?: number };
  readonly tolerance: ReproductionTolerance;
}

/**
 * Outputs are stitched tile by tile on the input's grid: an output axis at another resolution (scale ≠ 1) or of
 * another extent (offset ≠ 0) would be misplaced, so such packages are refused by name rather than run wrong.
 */
function checkSameGrid(tensorId: string, axis: AxisId, scale: number, offset: number): void {
  if (axis !== 'y' && axis !== 'x') return;
  if (scale !== 1) throw new DescriptionProblem(`tensor "${tensorId}" axis ${axis} is at ${scale}× the input's resolution; outputs at another resolution are not supported`);
  if (offset !== 0) throw new DescriptionProblem(`tensor "${tensorId}" axis ${axis} is ${offset > 0 ? offset : -offset} px ${offset > 0 ? 'larger' : 'smaller'} than the input; outputs of another extent are not supported`);
}

function tensor05(t: Tensor05): ZooTensor {
  const axes = t.axes.map((a): ZooAxis => {
    const id = axisId05(a);
    if (a.type === 'batch') return { id, size: a.size ? { kind: 'fixed', size: a.size } : { kind: 'any' }, halo: 0 };
    if (a.type === 'channel') return { id, size: { kind: 'fixed', size: a.channel_names.length }, halo: 0 };
    if (a.type !== 'space') throw new DescriptionProblem(`tensor "${t.id}" has a ${a.type} axis; this project runs 2-D images`);
    if (id === 'z') throw new DescriptionProblem(`tensor "${t.id}" has a z axis; this project runs 2-D images (y, x)`);
    const s = a.size;
    if (typeof s === 'object' && 'tensor_id' in s) checkSameGrid(t.id, id, a.scale ?? 1, s.offset ?? 0);
    const size: AxisSize =
      typeof s === 'number'
        ? { kind: 'fixed', size: s }
        : 'min' in s
          ? { kind: 'parametrized', min: s.min, step: s.step }
          : { kind: 'reference', tensorId: s.tensor_id, axisId: canonicalAxes([s.axis_id])![0], scale: 1, offset: s.offset ?? 0 };
    return { id, size, halo: a.halo ?? 0 };
  });
  const channel = t.axes.find((a) => a.type === 'channel');
  return {
    id: t.id,
    axes,
    ...(channel && channel.type === 'channel' ? { channelNames: channel.channel_names } : {}),
    preprocessing: (t.preprocessing ?? []).map((p) => parseProcessingStep(p.id, p.kwargs ?? {}, t.id)),
    postprocessing: (t.postprocessing ?? []).map((p) => parseProcessingStep(p.id, p.kwargs ?? {}, t.id)),
    testTensor: { source: t.test_tensor.source, ...(t.test_tensor.sha256 ? { sha256: t.test_tensor.sha256.toLowerCase() } : {}) },
  };
}

function tensor04(t: Tensor04, testFile: string): ZooTensor {
  const letters = [...t.axes] as AxisId[];
  if (letters.some((l) => l === 'z' || l === 't' || l === 'i')) throw new DescriptionProblem(`tensor "${t.name}" has axes ${t.axes}; this project runs 2-D images`);
  const shape = t.shape;
  const axes = letters.map((id, i): ZooAxis => {
    const halo = t.halo?.[i] ?? 0;
    if (Array.isArray(shape)) return { id, size: { kind: 'fixed', size: shape[i] }, halo };
    if ('min' in shape) return { id, size: shape.step[i] === 0 ? { kind: 'fixed', size: shape.min[i] } : { kind: 'parametrized', min: shape.min[i], step: shape.step[i] }, halo };
    const scale = shape.scale[i];
    // A null scale marks an axis the output adds (e.g. a new channel axis): its size is the offset.
    if (scale === null) return { id, size: { kind: 'fixed', size: shape.offset[i] }, halo };
    checkSameGrid(t.name, id, scale, shape.offset[i]);
    return { id, size: { kind: 'reference', tensorId: shape.reference_tensor, axisId: id, scale, offset: shape.offset[i] }, halo };
  });
  return {
    id: t.name,
    axes,
    preprocessing: (t.preprocessing ?? []).map((p) => parseProcessingStep(p.name, p.kwargs ?? {}, t.name)),
    postprocessing: (t.postprocessing ?? []).map((p) => parseProcessingStep(p.name, p.kwargs ?? {}, t.name)),
    testTensor: { source: testFile },
  };
}

function weights(raw: Rdf05['weights'] | Rdf04['weights']): Pick<ZooDescription, 'weightFormats' | 'onnx'> {
  const weightFormats = Object.entries(raw)
    .filter(([, w]) => w)
    .map(([format]) => format);
  const onnx = raw.onnx;
  return {
    weightFormats,
    ...(onnx
      ? { onnx: { source: onnx.source, ...(onnx.sha256 ? { sha256: onnx.sha256.toLowerCase() } : {}), ...(onnx.opset_version ? { opsetVersion: onnx.opset_version } : {}) } }
      : {}),
  };
}

export function describe05(rdf: Rdf05): ZooDescription {
  const tolerances = rdf.config?.bioimageio?.reproducibility_tolerance ?? [];
  const forOnnx = tolerances.find((t) => !t.weights_formats?.length || t.weights_formats.includes('onnx'));
  return {
    formatVersion: rdf.format_version,
    name: rdf.name,
    inputs: rdf.inputs.map(tensor05),
    outputs: rdf.outputs.map(tensor05),
    ...weights(rdf.weights),
    tolerance: {
      relative: forOnnx?.relative_tolerance ?? DEFAULT_TOLERANCE.relative,
      absolute: forOnnx?.absolute_tolerance ?? DEFAULT_TOLERANCE.absolute,
      mismatchedPerMillion: forOnnx?.mismatched_elements_per_million ?? DEFAULT_TOLERANCE.mismatchedPerMillion,
    },
  };
}

export function describe04(rdf: Rdf04): ZooDescription {
  if (rdf.test_inputs.length !== rdf.inputs.length || rdf.test_outputs.length !== rdf.outputs.length) {
    throw new DescriptionProblem(`names ${rdf.test_inputs.length}/${rdf.test_outputs.length} test tensors for ${rdf.inputs.length} inputs and ${rdf.outputs.length} outputs`);
  }
  return {
    formatVersion: rdf.format_version,
    name: rdf.name,
    inputs: rdf.inputs.map((t, i) => tensor04(t, rdf.test_inputs[i])),
    outputs: rdf.outputs.map((t, i) => tensor04(t, rdf.test_outputs[i])),
    ...weights(rdf.weights),
    tolerance: DEFAULT_TOLERANCE,
  };
}
