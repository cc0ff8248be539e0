import type { Nhwc } from '../runtime/inference-runtime';
import { ModelInputShapeError } from './model-errors';
import type { ModelDescription } from './rdf';

/** Checks an NHWC shape against the model's declared input axes (channels, and sizes `min + k·step`). */
export function checkInputShape(rdf: ModelDescription, shape: Nhwc): void {
  const input = rdf.inputs[0];
  const where = `model "${rdf.name}" input "${input.id}"`;
  if (shape.length !== 4 || shape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ModelInputShapeError(`${where} takes a batch of 2-D single-channel frames (N, H, W, C); got shape [${shape.join(', ')}]`);
  }
  const [, heightPx, widthPx, channels] = shape;
  for (const axis of input.axes) {
    if (axis.type === 'channel' && axis.channel_names.length !== channels) {
      throw new ModelInputShapeError(`${where} has ${axis.channel_names.length} channel(s) (${axis.channel_names.join(', ')}); got ${channels}`);
    }
    if (axis.type !== 'space' || axis.id === 'z') continue;
    const size = axis.id === 'y' ? heightPx : widthPx;
    const spec = axis.size;
    if (typeof spec === 'number' && size !== spec) throw new ModelInputShapeError(`${where} needs ${axis.id} = ${spec} px; got ${size}`);
    if (typeof spec === 'object' && 'min' in spec) {
      const ok = size >= spec.min && (spec.step === 0 ? size === spec.min : (size - spec.min) % spec.step === 0);
      if (!ok) throw new ModelInputShapeError(`${where} needs ${axis.id} = ${spec.min} + k·${spec.step} px; got ${size} (frames of other sizes go through tiled prediction, which pads them)`);
    }
  }
}

/** A tensor's axes and sizes in one line, e.g. "raw_frame byxc N×(16+16k)×(16+16k)×1": what health and logs show. */
export function formatAxes(tensorId: string, axes: ReadonlyArray<{ readonly id: string; readonly size: string }>): string {
  return `${tensorId} ${axes.map((a) => a.id).join('')} ${axes.map((a) => a.size).join('×')}`;
}

/** `min + k·step` sizes as "(min+stepk)", fixed ones as the number. */
export function formatSize(size: number | { readonly min: number; readonly step: number } | null): string {
  if (size === null) return 'any';
  if (typeof size === 'number') return String(size);
  return size.step ? `(${size.min}+${size.step}k)` : String(size.min);
}

/** The first input of a model folder's description, e.g. "raw_frame byxc N×(16+16k)×(16+16k)×1". */
export function describeInputShape(rdf: ModelDescription): string {
  const input = rdf.inputs[0];
  return formatAxes(
    input.id,
    input.axes.map((axis) => {
      if (axis.type === 'batch') return { id: 'b', size: axis.size ? String(axis.size) : 'N' };
      if (axis.type === 'channel') return { id: 'c', size: String(axis.channel_names.length) };
      const size = axis.size;
      return { id: axis.id, size: typeof size === 'number' || 'min' in size ? formatSize(size) : `=${size.tensor_id}.${size.axis_id}` };
    }),
  );
}
