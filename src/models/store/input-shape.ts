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
