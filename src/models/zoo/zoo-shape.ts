import { formatAxes, formatSize } from '../store/input-shape';
import type { ZooTensor } from './zoo-description';

/** A Zoo tensor's axes and sizes in one line, e.g. "input0 bcyx 1×1×(64+16k)×(64+16k)". */
export function describeZooTensor(tensor: ZooTensor): string {
  return formatAxes(
    tensor.id,
    tensor.axes.map((axis) => {
      const size = axis.size;
      if (size.kind === 'fixed') return { id: axis.id, size: formatSize(size.size) };
      if (size.kind === 'parametrized') return { id: axis.id, size: formatSize(size) };
      if (size.kind === 'reference') return { id: axis.id, size: `=${size.tensorId}.${size.axisId}` };
      return { id: axis.id, size: axis.id === 'b' ? 'N' : 'any' };
    }),
  );
}

/** Channels of an output (1 without a channel axis); null when the package lets them vary. */
export function outputChannelCount(tensor: ZooTensor): number | null {
  const channel = tensor.axes.find((axis) => axis.id === 'c');
  if (!channel) return 1;
  if (channel.size.kind === 'fixed') return channel.size.size;
  return tensor.channelNames?.length ?? null;
}
