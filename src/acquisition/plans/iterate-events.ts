import { autofocusEventFor, type AutofocusState } from './autofocus-events';
import { shouldSkip, stagePositionOf, subSequenceCoordinates, type StagePositionUm } from './event-rules';
import type { EventChannel, MDAEvent } from './mda-event';
import { AXES, type AxesBasedAutofocus, type Channel, type ExpansionOptions, type MDASequence, type PropertyTuple } from './plan-types';
import { hasAxes, sequenceAxes, type SequenceAxes } from './sequence-axes';

/**
 * The fields an event is built from, like useq's MDAEventDict. Inside a position's sub-sequence one draft is
 * carried from event to event, as in useq, so values the sub-sequence does not set stay from earlier events.
 */
interface EventDraft extends Partial<StagePositionUm> {
  index?: Readonly<Record<string, number>>;
  channel?: EventChannel;
  exposureMs?: number;
  minStartTimeS?: number;
  posName?: string;
  properties?: readonly PropertyTuple[];
  resetEventTimer?: boolean;
}

const ACQUIRE_IMAGE = Object.freeze({ type: 'acquire_image' as const });

class Expansion {
  private readonly axesBySequence = new Map<MDASequence, SequenceAxes>();
  private readonly eventChannels = new Map<Channel, EventChannel>();
  readonly autofocusState: AutofocusState = new Map();

  constructor(
    readonly root: MDASequence,
    private readonly options: ExpansionOptions,
  ) {}

  axesOf(sequence: MDASequence): SequenceAxes {
    let axes = this.axesBySequence.get(sequence);
    if (!axes) {
      axes = sequenceAxes(sequence, this.options);
      this.axesBySequence.set(sequence, axes);
    }
    return axes;
  }

  channelOf(channel: Channel): EventChannel {
    let eventChannel = this.eventChannels.get(channel);
    if (!eventChannel) {
      eventChannel = Object.freeze({ config: channel.config, group: channel.group });
      this.eventChannels.set(channel, eventChannel);
    }
    return eventChannel;
  }
}

/**
 * The events of a plan, one at a time, exactly as useq-schema's `iter_sequence` yields them: nothing is expanded
 * ahead, so a plan of millions of events starts at once and uses constant memory. `options` supply the field of
 * view for grid plans that give none.
 */
export function* iterateEvents(sequence: MDASequence, options: ExpansionOptions = {}): Generator<MDAEvent, void, undefined> {
  const events = expandSequence(new Expansion(sequence, options), sequence, sequence.autofocusPlan, null, null, null, -1, -1);
  const keepOpenAcross = sequence.keepShutterOpenAcross;
  if (keepOpenAcross.length === 0) {
    yield* events;
    return;
  }
  // An event keeps the shutter open when every axis that changes before the next event is one of these.
  const first = events.next();
  if (first.done) return;
  let current = first.value;
  for (const next of events) {
    const keepOpen = Object.entries(current.index).every(
      ([axis, i]) => next.index[axis] === i || (keepOpenAcross as readonly string[]).includes(axis),
    );
    yield keepOpen ? Object.freeze({ ...current, keepShutterOpen: true }) : current;
    current = next;
  }
  yield current;
}

function* odometer(lengths: readonly number[]): Generator<readonly number[]> {
  if (lengths.length === 0 || lengths.some((length) => length === 0)) return;
  const counters = lengths.map(() => 0);
  for (;;) {
    yield counters;
    let k = lengths.length - 1;
    while (k >= 0 && ++counters[k] === lengths[k]) counters[k--] = 0;
    if (k < 0) return;
  }
}

function* expandSequence(
  run: Expansion,
  sequence: MDASequence,
  autofocusPlan: AxesBasedAutofocus | null,
  base: EventDraft | null,
  overrides: EventDraft | null,
  offsets: Partial<Record<keyof StagePositionUm, number>> | null,
  lastTimeIndex: number,
  lastPositionIndex: number,
): Generator<MDAEvent, void, undefined> {
  const axes = run.axesOf(sequence);
  const slot = Object.fromEntries(axes.used.map((axis, k) => [axis, k])) as Partial<Record<string, number>>;
  const lengths = axes.used.map(
    (axis) => ({ t: axes.timesS, p: axes.positions, g: axes.grid, c: axes.channels, z: axes.zUm })[axis].length,
  );

  for (const counters of odometer(lengths)) {
    const index: Record<string, number> = {};
    for (const axis of AXES) if (slot[axis] !== undefined) index[axis] = counters[slot[axis]];
    const position = index.p !== undefined ? axes.positions.at(index.p) : null;
    const channel = index.c !== undefined ? axes.channels.at(index.c) : null;
    if (shouldSkip(position, channel, index, sequence.zPlan)) continue;
    const grid = index.g !== undefined ? axes.grid.at(index.g) : null;
    const planeUm = index.z !== undefined ? axes.zUm.at(index.z) : undefined;

    const draft: EventDraft = base ?? {};
    draft.index = { ...draft.index, ...index };
    Object.assign(draft, stagePositionOf(position, channel, sequence.zPlan, grid, planeUm));
    if (position?.name) draft.posName = position.name;
    const positionIndex = index.p ?? -1;
    if (position?.properties?.length && positionIndex !== lastPositionIndex) draft.properties = position.properties;
    lastPositionIndex = positionIndex;
    if (channel) {
      draft.channel = run.channelOf(channel);
      if (channel.exposureMs !== null) draft.exposureMs = channel.exposureMs;
    }
    if (index.t !== undefined) draft.minStartTimeS = axes.timesS.at(index.t);
    if (overrides) Object.assign(draft, overrides);
    if (offsets) {
      for (const [key, offset] of Object.entries(offsets) as Array<[keyof StagePositionUm, number]>) {
        const value = draft[key];
        if (value !== null && value !== undefined) draft[key] = value + offset;
      }
    }

    let autofocus = autofocusPlan;
    const sub = position?.sequence ?? null;
    if (position && hasAxes(sub)) {
      const { fixed, offsets: subOffsets } = subSequenceCoordinates(position, draft as StagePositionUm);
      const subOverrides: EventDraft = { ...fixed, resetEventTimer: false, ...(position.name ? { posName: position.name } : {}) };
      yield* expandSequence(
        run,
        sub,
        sub.autofocusPlan ?? autofocus,
        { ...draft },
        subOverrides,
        subOffsets,
        lastTimeIndex,
        lastPositionIndex,
      );
      continue;
    }
    if (sub?.autofocusPlan) autofocus = sub.autofocusPlan;

    if (draft.index.t === 0 && lastTimeIndex !== 0) draft.resetEventTimer = true;
    const event = frozenEvent(draft);
    if (autofocus) {
      const autofocusEvent = autofocusEventFor(autofocus, event, run.root, run.autofocusState);
      if (autofocusEvent) yield autofocusEvent;
    }
    yield event;
    lastTimeIndex = event.index.t ?? lastTimeIndex;
  }
}

function frozenEvent(draft: EventDraft): MDAEvent {
  const event: { -readonly [K in keyof MDAEvent]: MDAEvent[K] } = {
    index: Object.freeze(draft.index ?? {}),
    keepShutterOpen: false,
    resetEventTimer: draft.resetEventTimer ?? false,
    action: ACQUIRE_IMAGE,
  };
  if (draft.channel) event.channel = draft.channel;
  if (draft.exposureMs !== undefined) event.exposureMs = draft.exposureMs;
  if (draft.xPosUm !== null && draft.xPosUm !== undefined) event.xPosUm = draft.xPosUm;
  if (draft.yPosUm !== null && draft.yPosUm !== undefined) event.yPosUm = draft.yPosUm;
  if (draft.zPosUm !== null && draft.zPosUm !== undefined) event.zPosUm = draft.zPosUm;
  if (draft.minStartTimeS !== undefined) event.minStartTimeS = draft.minStartTimeS;
  if (draft.posName !== undefined) event.posName = draft.posName;
  if (draft.properties) event.properties = draft.properties;
  return Object.freeze(event);
}
