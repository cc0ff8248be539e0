import type { SchedulableEvent } from './engine';

/** What the Micro-Manager engine reads from a planned event (a structural subset of the plan's MDAEvent). */
export interface EngineEvent extends SchedulableEvent {
  readonly channel?: { readonly config: string; readonly group: string };
  readonly exposureMs?: number;
  readonly xPosUm?: number;
  readonly yPosUm?: number;
  readonly zPosUm?: number;
  readonly posName?: string;
  /** Device properties to set before the event (device, property, value), e.g. a position's own settings. */
  readonly properties?: ReadonlyArray<readonly [string, string, unknown]>;
  /** Keep the shutter open after this event (useq's keep_shutter_open). */
  readonly keepShutterOpen?: boolean;
  readonly action?:
    | { readonly type: 'acquire_image' }
    | { readonly type: 'hardware_autofocus'; readonly autofocusDeviceName?: string; readonly autofocusMotorOffset?: number };
  /** Illumination the event asks for, percent of the light source's full power (set by plans, hooks, the agent). */
  readonly illuminationPercent?: number;
  /** Number of frames taken back-to-back with the camera's sequence acquisition (a burst); 1 when absent. */
  readonly burstCount?: number;
}
