/**
 * One mitosis, one event. The detector sees a division in each frame whose comparison straddles it (several, when
 * the frame compared with is further back than one interval), and now and then something else; this tracker turns
 * that into events with a hysteresis in space and time: an event starts where a spot reaches the upper score
 * (confirmed, if asked, by a spot at the lower score in the frame before), stays on while a spot near it keeps the
 * lower score, ends after `offFrames` frames without one, and no new event starts near it until `refractoryS`
 * after it started (the same daughters a frame later, their crawling apart).
 */
import {
  DEFAULT_MITOSIS_DETECTOR,
  detectMitosis,
  type MitosisDetection,
  type MitosisDetectorOptions,
  type MitosisSpot,
  type PhotometricFrame,
} from './mitosis-detector';

export interface MitosisEventOptions {
  /** Detector score (1 + cells of light gained) that starts an event. */
  readonly onRatio: number;
  /** Score that keeps an event on (and confirms a start). */
  readonly offRatio: number;
  /** Frames in a row without a spot at `offRatio` near it that end an event. */
  readonly offFrames: number;
  /** 1: a spot at `onRatio` starts an event; 2: only if the frame before had a spot at `offRatio` there too. */
  readonly confirmFrames: 1 | 2;
  /** No new event within `radiusPx` of one that started less than this long ago, s. */
  readonly refractoryS: number;
  /** Spots this close (pixels, either axis) are the same place. */
  readonly radiusPx: number;
  /** The frame compared with is the oldest one at most this long ago, else the one before (0: always that one), s. */
  readonly lookbackS: number;
}

/** Chosen on the tuning seeds by scripts/evaluate-mitosis-detector.ts: models/mitosis-detector/detector.json (a spec keeps them equal). */
export const DEFAULT_MITOSIS_EVENTS: MitosisEventOptions = {
  onRatio: 1.5,
  offRatio: 1.3,
  offFrames: 2,
  confirmFrames: 1,
  refractoryS: 1200,
  radiusPx: 16,
  lookbackS: 120,
};

export interface MitosisEvent {
  readonly id: number;
  readonly xPx: number;
  readonly yPx: number;
  readonly startS: number;
  /** The strongest brightening that started it. */
  readonly ratio: number;
  /** When it ended (s), undefined while on. */
  endS?: number;
}

export interface MitosisUpdate {
  /** Events that started with this frame (the agent's "mitosis detected"). */
  readonly started: readonly MitosisEvent[];
  /** Events on after this frame. */
  readonly active: number;
  /** The detector's answer for this frame (null: no earlier frame to compare with). */
  readonly detection: MitosisDetection | null;
  /** Time of the frame it was compared with, s. */
  readonly comparedWithS: number | null;
}

interface TrackedEvent extends MitosisEvent {
  quietFrames: number;
}

export interface TimedFrame extends PhotometricFrame {
  readonly timeS: number;
}

export class MitosisEvents {
  private frames: TimedFrame[] = [];
  private events: TrackedEvent[] = [];
  private previousSpots: readonly MitosisSpot[] = [];
  private nextId = 0;

  constructor(
    readonly options: MitosisEventOptions = DEFAULT_MITOSIS_EVENTS,
    readonly detector: MitosisDetectorOptions = DEFAULT_MITOSIS_DETECTOR,
  ) {}

  reset(): void {
    this.frames = [];
    this.events = [];
    this.previousSpots = [];
    this.nextId = 0;
  }

  /** The frame the next one at `timeS` is compared with: the oldest at most `lookbackS` before it, else the last one. */
  earlierFrame(timeS: number): TimedFrame | undefined {
    return this.frames.find((f) => timeS - f.timeS <= this.options.lookbackS) ?? this.frames[this.frames.length - 1];
  }

  /** Detects in the frame against its earlier one, and updates the events. */
  observe(frame: TimedFrame): MitosisUpdate {
    const earlier = this.earlierFrame(frame.timeS);
    // frames no later comparison can pick are let go
    this.frames = [...this.frames.filter((f) => frame.timeS - f.timeS < this.options.lookbackS), frame];
    if (!earlier) return { started: [], active: this.active(), detection: null, comparedWithS: null };
    const detection = detectMitosis(earlier, frame, {
      ...this.detector,
      spotRatio: Math.min(this.detector.spotRatio, this.options.offRatio),
    });
    return { ...this.update(frame.timeS, detection.spots), detection, comparedWithS: earlier.timeS };
  }

  /** The hysteresis alone, over one frame's spots (for evaluations that detect once and sweep thresholds). */
  update(timeS: number, spots: readonly MitosisSpot[]): { started: readonly MitosisEvent[]; active: number } {
    const { onRatio, offRatio, offFrames, confirmFrames, refractoryS } = this.options;
    for (const event of this.events) {
      if (event.endS !== undefined) continue;
      const kept = spots.some((s) => s.ratio >= offRatio && this.near(s, event));
      event.quietFrames = kept ? 0 : event.quietFrames + 1;
      if (event.quietFrames >= offFrames) event.endS = timeS;
    }
    const started: TrackedEvent[] = [];
    for (const spot of spots) {
      if (spot.ratio < onRatio) break;
      const blocked = this.events.some((e) => this.near(spot, e) && (e.endS === undefined || timeS - e.startS < refractoryS));
      if (blocked) continue;
      if (confirmFrames === 2 && !this.previousSpots.some((s) => s.ratio >= offRatio && this.near(s, spot))) continue;
      const event: TrackedEvent = { id: this.nextId++, xPx: spot.xPx, yPx: spot.yPx, startS: timeS, ratio: spot.ratio, quietFrames: 0 };
      this.events.push(event);
      started.push(event);
    }
    this.events = this.events.filter((e) => e.endS === undefined || timeS - e.startS < refractoryS);
    this.previousSpots = spots;
    return { started, active: this.active() };
  }

  private active(): number {
    return this.events.filter((e) => e.endS === undefined).length;
  }

  private near(a: { xPx: number; yPx: number }, b: { xPx: number; yPx: number }): boolean {
    return Math.abs(a.xPx - b.xPx) <= this.options.radiusPx && Math.abs(a.yPx - b.yPx) <= this.options.radiusPx;
  }
}
