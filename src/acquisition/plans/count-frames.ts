import type { Channel, ExpansionOptions, MDASequence, Position } from './plan-types';
import { hasAxes, sequenceAxes, type SequenceAxes } from './sequence-axes';
import { zPlanCountForEstimate } from './z-positions';

/**
 * The number of images a plan takes (its acquire_image events), counted from the axis sizes and useq's skip
 * rules without expanding the events: a sum over positions and channels, never over time points or planes.
 */
export function countFrames(sequence: MDASequence, options: ExpansionOptions = {}): number {
  const axes = sequenceAxes(sequence, options);
  if (axes.used.length === 0) return 0;
  const positions: Array<Position | null> = axes.used.includes('p')
    ? [...Array(axes.positions.length).keys()].map((i) => axes.positions.at(i))
    : [null];
  let total = 0;
  for (const position of positions) {
    const outer = outerEventsAt(sequence, axes, position);
    if (outer === 0) continue;
    const sub = position?.sequence ?? null;
    // Each outer event at a position with its own sub-sequence expands into that whole sub-sequence.
    total += hasAxes(sub) ? outer * countFrames(sub, options) : outer;
  }
  return total;
}

/** Events of the outer loops (t, g, c, z) at one position that survive useq's skip rules. */
function outerEventsAt(sequence: MDASequence, axes: SequenceAxes, position: Position | null): number {
  const uses = (axis: 't' | 'g' | 'c' | 'z') => axes.used.includes(axis);
  const sub = position?.sequence ?? null;
  const subReplaces = sub !== null && sub.autofocusPlan === null;
  const subHasPlans = sub !== null && (sub.gridPlan !== null || sub.zPlan !== null || sub.timePlan !== null);
  const onlyFirstChannel = subReplaces && ((sub.channels.length > 0 && subHasPlans) || !subHasPlans);
  const onlyFirstPlane = subReplaces && sub.zPlan !== null;
  const onlyFirstTile = subReplaces && sub.gridPlan !== null;

  const tiles = uses('g') ? (onlyFirstTile ? 1 : axes.grid.length) : 1;
  const times = uses('t') ? axes.timesS.length : 1;
  const planes = uses('z') ? (onlyFirstPlane ? 1 : axes.zUm.length) : 1;
  if (!uses('c')) return times * planes * tiles;

  let events = 0;
  const channelCount = onlyFirstChannel ? Math.min(1, axes.channels.length) : axes.channels.length;
  for (let c = 0; c < channelCount; c++) {
    events +=
      timesFor(axes.channels.at(c), times, uses('t')) * planesFor(sequence, axes.channels.at(c), planes, uses('z'), onlyFirstPlane) * tiles;
  }
  return events;
}

/** Time points at which a channel is taken: those divisible by its acquire_every. */
function timesFor(channel: Channel, times: number, timeUsed: boolean): number {
  return timeUsed ? Math.ceil(times / channel.acquireEvery) : 1;
}

function planesFor(sequence: MDASequence, channel: Channel, planes: number, zUsed: boolean, onlyFirstPlane: boolean): number {
  if (!zUsed || channel.doStack || sequence.zPlan === null) return planes;
  // A channel outside the stack is taken only at useq's middle plane, if that plane is visited here.
  const middle = Math.floor(zPlanCountForEstimate(sequence.zPlan) / 2);
  const visited = onlyFirstPlane ? middle === 0 : middle >= 0 && middle < planes;
  return visited ? 1 : 0;
}
