import type { OperatorFunction } from 'rxjs';
import type { BranchHooks, BranchStats } from '../../acquisition/backpressure/bounded-branch';
import type { Frame } from '../../acquisition/frame';
import type { RawDataset } from '../../acquisition/service/acquisition.service';
import type { LatencySummary } from './latency-window';
import type { LiveModelTask, LoadedModelInfo } from './loaded-models';

/** What a branch's model says of itself once it runs. */
export interface LiveModelInfo extends Omit<LoadedModelInfo, 'task'> {
  /** A method without a network (classical localisation) is not listed among the loaded models. */
  readonly withoutModel?: boolean;
}

/** Where a branch reports, while it runs on one acquisition, its counters and each frame (or batch) its model failed on. */
export type BranchReport = Required<BranchHooks>;

/** A branch's work on one acquisition. */
export interface BranchRecording<Out> {
  /** The first data set it writes; any others lie beside it. */
  readonly path: string;
  /** The written raw frames' way through the model and into the recorder of derived planes. */
  readonly process: OperatorFunction<Frame, Out>;
  /** Runs after the last frame, with the last output (Deep-STORM saves its image then). */
  readonly finish?: (last: Out | undefined) => Promise<void>;
}

/**
 * One model run live on every acquisition (CARE, Deep-STORM, a Zoo model): how its model starts, what it does
 * with an acquisition's frames and how its outputs add up to the run's figures. LiveBranchRunner does the rest.
 */
export interface LiveBranch<Out, Figures> {
  readonly name: LiveModelTask;
  /** Whether acquisitions are processed live (models.<name>.live). */
  readonly enabled: boolean;
  /** The model as configured; its own name replaces it once it has loaded. */
  readonly configuredModel: string | null;
  /** Starts the model (in a worker thread) so that the first acquisition does not wait for it. */
  start(): Promise<LiveModelInfo>;
  /** Opens one acquisition's recording; its frames wait meanwhile (the latest only). */
  open(raw: RawDataset, report: BranchReport): Promise<BranchRecording<Out>>;
  readonly initialFigures: Figures;
  addFigures(figures: Figures, out: Out): Figures;
  latencyMs(out: Out): number;
  close(): Promise<void>;
}

export type LiveRun<Figures> = {
  readonly acquisitionId: string;
  readonly path: string;
  readonly error?: string;
} & Figures;

/** One branch in /api/health, the same fields for every branch. */
export interface LiveBranchStatus {
  readonly name: LiveModelTask;
  readonly enabled: boolean;
  readonly model: string | null;
  readonly runtime: string | null;
  readonly input: string | null;
  /** Why the model is not running (refused on load, worker failed to start), null otherwise. */
  readonly error: string | null;
  /** The bounded branch's counters on the latest acquisition. */
  readonly branch: BranchStats | null;
  /** The latest runs (five at most). */
  readonly runs: readonly LiveRun<unknown>[];
  /** Outputs over all runs. */
  readonly frames: number;
  /** Frames the model failed on and runs that stopped. */
  readonly errors: number;
  /** The message of the latest of those failures. */
  readonly lastError: string | null;
  readonly latencyMs: LatencySummary | null;
}
