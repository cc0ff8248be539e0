/**
 * The event-driven rule of Mahecic et al. 2022 ("Event-driven acquisition for content-enriched microscopy",
 * Nat. Methods): fixed light at the slow rate until a detector fires, then the fast rate for a fixed window, then
 * slow again. As acquisition hooks over a plan whose time points come at the fast rate: while slow, the time
 * points that come sooner than the slow interval after the last frame are skipped. The detector is the agent's
 * own, through the same MitosisEvents (each frame compared with the same earlier one); `fireOn` says whether the
 * rule fires on every detection (as Mahecic's rule fires on its network's output) or only when an event starts
 * (one per mitosis, the agent's hysteresis).
 */
import type { Frame } from '../../src/acquisition/frame';
import type { MDAEvent } from '../../src/acquisition/plans';
import type { EventHooks } from '../../src/acquisition/runner/runner';
import { DEFAULT_MITOSIS_EVENTS, MitosisEvents } from '../../src/agent/observe/mitosis-events';

export interface EventRuleOptions {
  readonly illuminationPercent: number;
  readonly exposureMs: number;
  readonly slowIntervalS: number;
  /** The plan's own interval must be this one (or divide the slow one). */
  readonly fastIntervalS: number;
  /** How long the fast rate lasts after a fire; a fire during it extends it. */
  readonly windowS: number;
  /** detection: every frame the detector fires on; event: only when one of the agent's mitosis events starts. */
  readonly fireOn: 'detection' | 'event';
  /** How far back the frame a detection compares with may be, s (default: the agent's, DEFAULT_MITOSIS_EVENTS). */
  readonly lookbackS?: number;
  /** The acquisition's clock, ms. */
  readonly now: () => number;
}

export class EventDrivenRule implements EventHooks<MDAEvent> {
  /** When (s) the detector fired, for the bench's score against the truth. */
  readonly fireTimesS: number[] = [];
  private fastUntilS = Number.NEGATIVE_INFINITY;
  private lastStartS?: number;
  private readonly events: MitosisEvents;

  constructor(private readonly options: EventRuleOptions) {
    this.events = new MitosisEvents({ ...DEFAULT_MITOSIS_EVENTS, lookbackS: options.lookbackS ?? DEFAULT_MITOSIS_EVENTS.lookbackS });
  }

  beforeEvent(event: MDAEvent): MDAEvent | null {
    const startS = event.minStartTimeS ?? 0;
    const gapS = startS <= this.fastUntilS ? this.options.fastIntervalS : this.options.slowIntervalS;
    // rounding in the planned start times must not skip a time point that is due
    if (this.lastStartS !== undefined && startS - this.lastStartS < gapS - 1e-6) return null;
    this.lastStartS = startS;
    return { ...event, illuminationPercent: this.options.illuminationPercent, exposureMs: this.options.exposureMs };
  }

  afterEvent(_event: MDAEvent, frames: readonly Frame[]): void {
    for (const frame of frames) this.observe(frame);
  }

  private observe(frame: Frame): void {
    const timeS = this.options.now() / 1000;
    const update = this.events.observe({
      pixels: frame.pixels,
      widthPx: frame.meta.width,
      heightPx: frame.meta.height,
      doseUnits: ((frame.meta.illumination?.powerPercent ?? 0) * frame.meta.exposureMs) / 1000,
      timeS,
    });
    const fired = this.options.fireOn === 'event' ? update.started.length > 0 : update.detection?.detected === true;
    if (!fired) return;
    this.fireTimesS.push(timeS);
    this.fastUntilS = timeS + this.options.windowS;
  }
}
