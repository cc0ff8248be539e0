export type ClampReason =
  /** NaN, ±Infinity, a negative number or not a number at all: treated as 0 (off), never forwarded. */
  | 'invalid-value'
  /** A channel the light source does not have: nothing was forwarded. */
  | 'invalid-channel'
  /** Above the channel's configured maximum power. */
  | 'max-power'
  /** The dose budget of the sliding window is used up (or was about to be): less light, or none. */
  | 'dose-budget'
  /** Above the configured maximum exposure. */
  | 'max-exposure'
  /** A model's decision was NaN, threw or came too late: the fallback illumination was applied. */
  | 'model-fallback'
  /** The device was found above its limits when the envelope took it over. */
  | 'initial-state';

/** One clamp, as the agent and the dashboard show it. JSON-safe: non-finite numbers are written as strings. */
export interface ClampEvent {
  readonly source: string;
  /** null for exposure, which belongs to no channel. */
  readonly channel: number | null;
  readonly reason: ClampReason;
  readonly requested: number | string | boolean;
  readonly applied: number | boolean;
  readonly limit?: number;
  readonly detail: string;
  /** Who asked: "rest <user>", "socket <user>", "acquisition <id>", "preset Channel/FITC", "dose budget"… */
  readonly origin?: string;
  readonly at: string;
}

/** A value as the event shows it: finite numbers and booleans as they are, everything else described. */
export function describeRequested(value: unknown): number | string | boolean {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 40))}`;
  if (value === null) return 'null';
  return typeof value;
}
