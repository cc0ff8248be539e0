import { Subject, type Observable } from 'rxjs';
import { BoundedBranch } from '../acquisition/backpressure/bounded-branch';
import type { Frame } from '../acquisition/frame';
import type { MDAEvent } from '../acquisition/plans';
import type { EventHooks } from '../acquisition/runner/runner';
import { decideWithin } from '../hardware/safety';
import type { DoseEvent, FieldRisk, ObservedFrame } from '../models/phototox';
import { frameBlocks } from '../models/stats/frame-blocks';
import { MitosisEvents } from './observe/mitosis-events';
import { estimateSnr } from './observe/snr-estimate';
import { EventSteering } from './event-steering';
import { boundSetting, boundsFrom, describeClamps, type AgentBounds, type AgentSetting } from './policy/agent-bounds';
import type { AgentDecision, AgentInputs, DecisionRecord } from './policy/agent-decision';
import { boundDecision, settingOf, unchangedSettings } from './policy/bounded-decision';
import { agentParamsSchema, type AgentParams, type AgentParamsInput } from './policy/agent-params';
import { decideIllumination, seededUniform } from './policy/illumination-policy';

/** Anything that predicts field risk (the phototox model, or a stand-in); may be slow, throw or return NaN. */
export interface RiskPredictor {
  fieldRisk(frames: readonly ObservedFrame[], doses: readonly DoseEvent[]): FieldRisk | Promise<FieldRisk>;
}

export interface IlluminationAgentOptions {
  readonly params?: AgentParamsInput;
  readonly predictor?: RiskPredictor;
  /** CARE's predicted PSNR (dB) of a frame's restoration, when a CARE model runs beside the acquisition. */
  readonly careQualityDb?: (frame: Frame) => Promise<number>;
  /** Clock for the records, ms (the acquisition's clock in simulations). */
  readonly now?: () => number;
  /**
   * 'inline': every frame is observed before the next event (deterministic; simulations and the bench).
   * 'bounded': frames reach the agent through a latest-only branch and the acquisition never waits on it; frames it
   * could not take are skipped and counted (the service). Default 'inline'.
   */
  readonly observe?: 'inline' | 'bounded';
  /** The hardware envelope's longest exposure (safety.light.maxExposureMs): a bound on the agent's exposure too. */
  readonly envelopeMaxExposureMs?: number;
}

/** Frames the agent remembers for the predictor and the mitosis detector. */
const MAX_FRAMES_KEPT = 32;

export interface AgentStatus {
  readonly enabled: boolean;
  readonly overrideIlluminationPercent: number | null;
  readonly decision: AgentDecision;
  readonly decisions: number;
  readonly doseSoFarPercentSeconds: number;
  /** The user's bounds: at most this many times the planned interval, at most this exposure (null: the envelope's). */
  readonly intervalStretchMax: number;
  readonly maxExposureMs: number | null;
}

/**
 * The smart-microscopy agent as acquisition hooks: after each frame it observes (SNR, CARE quality, predicted
 * damage, dose, mitosis) and decides; before each event it writes its illumination, exposure and start time into
 * the event, relative to what the plan asked for and inside the user's bounds (agent-bounds.ts). It never touches
 * a device: the engine applies the event's light through the hardware envelope. The manual override always wins;
 * switched off, events pass unchanged.
 */
export class IlluminationAgent implements EventHooks<MDAEvent> {
  private readonly baseParams: AgentParams;
  private currentParams: AgentParams;
  private readonly recordsSubject = new Subject<DecisionRecord>();
  /** Every decision with its inputs and reason. */
  readonly decisions$: Observable<DecisionRecord> = this.recordsSubject.asObservable();
  private enabled = true;
  private override: number | null = null;
  private decision: AgentDecision;
  private uniform: () => number;
  private readonly now: () => number;
  private sequence = 0;
  /** Counts resets: a decision still being made when its run ended is not applied to the next run. */
  private generation = 0;
  private startMs?: number;
  private frames: ObservedFrame[] = [];
  private firstFrame?: ObservedFrame;
  private doses: DoseEvent[] = [];
  private doseSoFar = 0;
  private readonly steering = new EventSteering();
  /** One mitosis, one event: the detector's spots through a hysteresis (mitosis-events.ts). */
  private readonly mitoses = new MitosisEvents();
  /** What the events get now, for the plan's reference channel and interval (bounded). */
  private applied: AgentSetting;
  private branch?: BoundedBranch<Frame, DecisionRecord>;

  constructor(private readonly options: IlluminationAgentOptions = {}) {
    this.baseParams = this.currentParams = agentParamsSchema.parse(options.params ?? {});
    this.uniform = seededUniform(this.params.seed);
    this.now = options.now ?? Date.now;
    this.decision = this.initialDecision();
    this.applied = this.initialSetting();
  }

  /** The user's bounds on what the agent changes (agent.params and the envelope's exposure limit). */
  get bounds(): AgentBounds {
    return boundsFrom(this.params, this.options.envelopeMaxExposureMs);
  }

  status(): AgentStatus {
    return {
      enabled: this.enabled,
      overrideIlluminationPercent: this.override,
      decision: this.decision,
      decisions: this.sequence,
      doseSoFarPercentSeconds: this.doseSoFar,
      intervalStretchMax: this.bounds.intervalStretchMax,
      maxExposureMs: Number.isFinite(this.bounds.maxExposureMs) ? this.bounds.maxExposureMs : null,
    };
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  /** A manual illumination that wins over every decision until cleared with null. Validated by the caller. */
  setOverride(illuminationPercent: number | null): void {
    this.override = illuminationPercent;
  }

  get params(): AgentParams {
    return this.currentParams;
  }

  /**
   * Forgets the previous run (dose, frames, timing); the seed's sequence starts over too. `forRun` adapts the
   * configured settings to the run's plan (its interval and duration), validated as the settings are;
   * `plannedIntervalS` is the plan's own interval (null: none known yet; the events then tell).
   */
  reset(forRun: Partial<AgentParamsInput> = {}, plannedIntervalS: number | null = null): void {
    this.currentParams = agentParamsSchema.parse({ ...this.baseParams, ...forRun });
    Object.assign(this, {
      frames: [],
      doses: [],
      doseSoFar: 0,
      firstFrame: undefined,
      startMs: undefined,
      sequence: 0,
      generation: this.generation + 1,
    });
    this.steering.reset(plannedIntervalS);
    this.mitoses.reset();
    this.uniform = seededUniform(this.params.seed);
    this.decision = this.initialDecision();
    this.applied = this.initialSetting();
  }

  /** The event with the agent's light, exposure and start time, within the user's bounds; unchanged when off. */
  beforeEvent(event: MDAEvent): MDAEvent {
    this.startMs ??= this.now();
    return this.steering.apply(event, this.enabled, this.decision, this.params, this.bounds, this.override);
  }

  /**
   * The agent as the runner's hooks. Inline, it observes every frame before the next event runs (simulations,
   * benches: deterministic); bounded, it is an observer the run never waits for, deciding at its own pace from
   * the newest frame.
   */
  hooks(): EventHooks<MDAEvent> {
    const beforeEvent = (event: MDAEvent) => this.beforeEvent(event);
    if (this.options.observe === 'bounded') return { beforeEvent, observeEvent: (_, frames) => this.offer(frames) };
    return { beforeEvent, afterEvent: (event, frames) => this.afterEvent(event, frames) };
  }

  async afterEvent(event: MDAEvent, frames: readonly Frame[]): Promise<void> {
    if (this.options.observe !== 'bounded') {
      for (const frame of frames) await this.observe(frame);
      return;
    }
    this.offer(frames);
  }

  /** Bounded: the frames go to a latest-only branch; switched off, the agent costs the acquisition nothing. */
  private offer(frames: readonly Frame[]): void {
    if (!this.enabled || frames.length === 0) return;
    this.branch ??= new BoundedBranch<Frame, DecisionRecord>(
      { kind: 'latest-only' },
      (frame) => this.observe(frame),
      () => undefined,
    );
    for (const frame of frames) this.branch.offer(frame);
  }

  /** Frames offered to the agent, observed and skipped ('bounded' mode). */
  branchStats() {
    return this.branch?.stats() ?? null;
  }

  /** One frame's worth of observing and deciding; public so simulations can drive the agent without a runner. */
  async observe(frame: Frame): Promise<DecisionRecord> {
    this.startMs ??= this.now();
    const timeS = (this.now() - this.startMs) / 1000;
    const powerPercent = frame.meta.illumination?.powerPercent ?? 0;
    // the colour matters to the predictor (violet harms far more than red); unknown: the model's default
    const wavelengthNm = frame.meta.illumination?.wavelengthNm;
    const exposureMs = frame.meta.exposureMs;
    const observed: ObservedFrame = {
      pixels: frame.pixels,
      widthPx: frame.meta.width,
      heightPx: frame.meta.height,
      exposureMs,
      powerPercent,
      timeS,
    };
    this.doses.push({ timeS, powerPercent, exposureMs, ...(wavelengthNm !== undefined ? { wavelengthNm } : {}) });
    this.doseSoFar += powerPercent * (exposureMs / 1000);
    this.firstFrame ??= observed;
    this.frames = [...this.frames.filter((f) => timeS - f.timeS <= 900).slice(-(MAX_FRAMES_KEPT - 1)), observed];
    const generation = this.generation;
    const inputs = await this.gatherInputs(frame, observed);
    if (generation !== this.generation) return this.staleRecord(frame, inputs);
    const manual = this.override !== null;
    const proposedDecision = decideIllumination(inputs, this.decision, this.params, this.uniform);
    const planned = this.steering.planned(this.params);
    const { decision, settings } = boundDecision(proposedDecision.decision, planned, this.params, this.bounds, this.applied, this.override);
    this.applied = settings.after;
    const clamped = settings.clamps.length > 0 ? `; bounds: ${describeClamps(settings.clamps)}` : '';
    const reason = proposedDecision.reason + clamped;
    // The agent's own decision is kept, so that clearing the override hands control straight back to it.
    this.decision = decision;
    const shown: AgentDecision = !this.enabled
      ? { ...decision, mode: 'off' }
      : manual
        ? { ...decision, illuminationPercent: this.override!, mode: 'override' }
        : decision;
    const record: DecisionRecord = {
      sequence: this.sequence++,
      time: new Date(this.now()).toISOString(),
      acquisitionId: frame.meta.acquisitionId ?? null,
      inputs,
      decision: shown,
      settings,
      reason: !this.enabled
        ? `agent off: events pass unchanged (would decide: ${reason})`
        : manual
          ? `manual override ${this.override} % wins; ${reason}`
          : reason,
    };
    this.recordsSubject.next(record);
    return record;
  }

  /** A decision whose run ended while it was being made: returned to its caller, never applied nor recorded. */
  private staleRecord(frame: Frame, inputs: AgentInputs): DecisionRecord {
    return {
      sequence: -1,
      time: new Date(this.now()).toISOString(),
      acquisitionId: frame.meta.acquisitionId ?? null,
      inputs,
      decision: { ...this.decision, mode: 'off' },
      settings: unchangedSettings(this.steering.planned(this.params), this.applied, this.bounds),
      reason: 'discarded: its run ended before the decision was made',
    };
  }

  complete(): void {
    this.recordsSubject.complete();
  }

  private async gatherInputs(frame: Frame, observed: ObservedFrame): Promise<AgentInputs> {
    // one pass over the frame counts its pixel values and sums its 4 × 4 blocks for all three observers below
    frameBlocks(frame.pixels, frame.meta.width, frame.meta.height, 4);
    const snr = estimateSnr(frame.pixels, frame.meta.width, frame.meta.height);
    // true only for the frame a mitosis event starts with (the policy then follows it for eventDurationS); before
    // any await, so a reset while the predictor runs cannot hand this run's frame to the next run's events
    const mitosis =
      this.mitoses.observe({
        pixels: observed.pixels,
        widthPx: observed.widthPx,
        heightPx: observed.heightPx,
        doseUnits: (observed.powerPercent * observed.exposureMs) / 1000,
        timeS: observed.timeS,
      }).started.length > 0;
    let predictedRisk: number | null = null;
    let predictorError: string | null = null;
    const history = [this.firstFrame ?? observed, ...(this.frames.length > 1 ? [this.frames[this.frames.length - 2]] : []), observed];
    if (!this.options.predictor) predictorError = 'no predictor';
    else {
      try {
        const risk = await decideWithin(() => this.options.predictor!.fieldRisk(history, this.doses), this.params.predictorTimeoutMs);
        if (typeof risk?.meanRisk === 'number' && Number.isFinite(risk.meanRisk) && risk.meanRisk >= 0 && risk.meanRisk <= 1)
          predictedRisk = risk.meanRisk;
        else predictorError = `predictor returned ${String(risk?.meanRisk)}`;
      } catch (err) {
        predictorError = `${(err as Error).name}: ${(err as Error).message}`;
      }
    }
    let careQualityDb: number | null = null;
    if (this.options.careQualityDb) {
      try {
        const q = await decideWithin(() => this.options.careQualityDb!(frame), this.params.predictorTimeoutMs);
        careQualityDb = Number.isFinite(q) ? q : null;
      } catch {
        careQualityDb = null;
      }
    }
    return {
      timeS: observed.timeS,
      snr: Number.isFinite(snr) ? snr : null,
      careQualityDb,
      predictedRisk,
      predictorError,
      doseSoFarPercentSeconds: this.doseSoFar,
      doseBudgetPercentSeconds: this.params.doseBudgetPercentSeconds,
      mitosisDetected: mitosis,
      lastIlluminationPercent: observed.powerPercent,
      lastExposureMs: observed.exposureMs,
    };
  }

  /** What the events get before the first decision: the start light, the plan's interval and exposure (bounded). */
  private initialSetting(): AgentSetting {
    const planned = this.steering.planned(this.params);
    return boundSetting(settingOf(this.decision, planned, this.params), planned, this.bounds).applied;
  }

  private initialDecision(): AgentDecision {
    const p = this.params;
    return {
      illuminationPercent: p.startIlluminationPercent,
      exposureMs: p.exposureMs,
      intervalS: p.baseIntervalS,
      mode: 'normal',
      eventUntilS: null,
    };
  }
}
