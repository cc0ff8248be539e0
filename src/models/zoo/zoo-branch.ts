import type { OperatorFunction } from 'rxjs';
import { boundedBranch, type BranchHooks, type BranchPolicy, type BranchStats } from '../../acquisition/backpressure/bounded-branch';
import type { DerivedFrame, Frame } from '../../acquisition/frame';
import type { FramePredictor } from './frame-predictor';

export const ZOO_FRAME_KIND = 'zoo-prediction';

/** The figures a Zoo prediction carries. */
export interface ZooFrameQuality {
  readonly modelId: string;
  readonly runtime: string;
  /** Time from the raw frame entering the branch to its prediction, ms. */
  readonly latencyMs: number;
  readonly tiles: number;
  /** For probability outputs: mean |p − 0.5| · 2, from 0 (all undecided) to 1 (all certain). */
  readonly confidence?: number;
  /** NaN or infinite output values; a frame with any is flagged and must not be trusted. */
  readonly nonFiniteCount: number;
  readonly flagged: boolean;
}

/** A model output for one raw frame: its first channel as `pixels`, every channel in `channels`. */
export interface ZooPredictedFrame extends DerivedFrame<ZooFrameQuality> {
  readonly kind: typeof ZOO_FRAME_KIND;
  readonly pixels: Float32Array;
  readonly channels: readonly Float32Array[];
  readonly channelNames?: readonly string[];
}

export type ZooBranchStats = BranchStats;

/**
 * A Zoo model as a branch of the frame stream (nuclei probability beside the raw frame, …), under CARE's rules:
 * frames are offered under a declared backpressure policy, the ones the model cannot take are skipped and
 * counted, the source is never slowed. Subscribe it after the raw writer (raw first). Use WorkerZooPredictor on
 * the live path so inference runs off the thread that receives frames.
 */
export function zooBranch(predictor: FramePredictor, policy: BranchPolicy = { kind: 'latest-only' }, hooks: BranchHooks = {}): OperatorFunction<Frame, ZooPredictedFrame> {
  return boundedBranch<Frame, ZooPredictedFrame>(
    policy,
    async (frame) => {
      const startedMs = Date.now();
      const p = await predictor.predict(frame.pixels, frame.meta.width, frame.meta.height);
      return {
        kind: ZOO_FRAME_KIND,
        pixels: p.channels[0],
        channels: p.channels,
        ...(p.channelNames ? { channelNames: p.channelNames } : {}),
        width: p.widthPx,
        height: p.heightPx,
        source: frame.meta,
        quality: {
          modelId: predictor.modelId,
          runtime: predictor.runtimeName,
          latencyMs: Date.now() - startedMs,
          tiles: p.tiles,
          ...(p.confidence !== undefined ? { confidence: p.confidence } : {}),
          nonFiniteCount: p.nonFiniteCount,
          flagged: p.nonFiniteCount > 0,
        },
      };
    },
    hooks,
  );
}
