import type { PropertyTuple } from './plan-types';

/** Position of an event in the plan's axes (t, p, g, c, z), listed in useq's order. */
export type EventIndex = Readonly<Record<string, number>>;

export interface EventChannel {
  readonly config: string;
  readonly group: string;
}

export type EventAction =
  | { readonly type: 'acquire_image' }
  | {
      readonly type: 'hardware_autofocus';
      /** Absent: the engine uses its current autofocus device. */
      readonly autofocusDeviceName?: string;
      /** Absent: leave the autofocus offset motor where it is. */
      readonly autofocusMotorOffset?: number;
    };

/**
 * One frozen step of an acquisition: useq-schema's MDAEvent in our names. An absent field means "leave that
 * as it is" (current channel, exposure, stage position).
 */
export interface MDAEvent {
  readonly index: EventIndex;
  readonly channel?: EventChannel;
  readonly exposureMs?: number;
  readonly xPosUm?: number;
  readonly yPosUm?: number;
  readonly zPosUm?: number;
  /** Earliest start, seconds after the sequence start or the last event that reset the timer. */
  readonly minStartTimeS?: number;
  readonly posName?: string;
  /** Device properties to set before this event (a position's properties, when the position changes). */
  readonly properties?: readonly PropertyTuple[];
  /** Leave the shutter open after this event: only the axes in `keep_shutter_open_across` change next. */
  readonly keepShutterOpen: boolean;
  /** Restart the clock that `minStartTimeS` counts from at this event. */
  readonly resetEventTimer: boolean;
  readonly action: EventAction;
  /** Illumination asked for, percent of the light source's full power (the agent's decision); the engine applies it through the envelope. */
  readonly illuminationPercent?: number;
  /**
   * Frames taken back to back by the camera's sequence acquisition: time points index.t … index.t + burstCount − 1
   * unless `sequencedFrames` lists them; 1 when absent.
   */
  readonly burstCount?: number;
  /** Each frame of a burst that steps the focus stage through a loaded sequence: its index and focus position. */
  readonly sequencedFrames?: readonly SequencedFrame[];
}

/** One frame of a stage-sequenced burst. */
export interface SequencedFrame {
  readonly index: EventIndex;
  readonly zPosUm: number;
}

/** An event in useq-schema's JSON field names (snake_case, null for absent), for the CLI and comparisons. */
export interface UseqEventJson {
  readonly index: Readonly<Record<string, number>>;
  readonly channel: EventChannel | null;
  readonly exposure: number | null;
  readonly x_pos: number | null;
  readonly y_pos: number | null;
  readonly z_pos: number | null;
  readonly min_start_time: number | null;
  readonly pos_name: string | null;
  readonly properties?: ReadonlyArray<readonly [string, string, unknown]>;
  readonly keep_shutter_open: boolean;
  readonly reset_event_timer: boolean;
  readonly action:
    | { readonly type: 'acquire_image' }
    | {
        readonly type: 'hardware_autofocus';
        readonly autofocus_device_name: string | null;
        readonly autofocus_motor_offset: number | null;
      };
}

export function toUseqEventJson(event: MDAEvent): UseqEventJson {
  const action = event.action;
  return {
    index: { ...event.index },
    channel: event.channel ? { config: event.channel.config, group: event.channel.group } : null,
    exposure: event.exposureMs ?? null,
    x_pos: event.xPosUm ?? null,
    y_pos: event.yPosUm ?? null,
    z_pos: event.zPosUm ?? null,
    min_start_time: event.minStartTimeS ?? null,
    pos_name: event.posName ?? null,
    ...(event.properties ? { properties: event.properties.map(([d, p, v]) => [d, p, v] as const) } : {}),
    keep_shutter_open: event.keepShutterOpen,
    reset_event_timer: event.resetEventTimer,
    action:
      action.type === 'acquire_image'
        ? { type: 'acquire_image' }
        : {
            type: 'hardware_autofocus',
            autofocus_device_name: action.autofocusDeviceName ?? null,
            autofocus_motor_offset: action.autofocusMotorOffset ?? null,
          },
  };
}
