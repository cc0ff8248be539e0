import type { OperatorFunction } from 'rxjs';
import { boundedBranch, type BranchHooks, type BranchPolicy, type BranchStats } from '../../../acquisition/backpressure/bounded-branch';
import type { DerivedFrame, Frame } from '../../../acquisition/frame';
import type { RestorationQuality } from '../care-restorer';
import type { FrameRestorer } from './frame-restorer';

export const CARE_FRAME_KIND = 'care-restored';

/** The quality figures a restored frame carries. */
export interface CareFrameQuality extends RestorationQuality {
  readonly modelId: string;
  readonly runtime: string;
  /** Time from the raw frame entering the branch to its restoration, ms. */
  readonly latencyMs: number;
}

/** A restored frame: its pixels (float32, the raw frame's units), the uncertainty map, the raw frame's metadata. */
export interface CareRestoredFrame extends DerivedFrame<CareFrameQuality> {
  readonly kind: typeof CARE_FRAME_KIND;
  readonly pixels: Float32Array;
  /** Predicted error (standard deviation) per pixel, same units and size as `pixels`. */
  readonly uncertainty: Float32Array;
}

/** The branch's counters, with what was skipped because the model was slower than the camera. */
export type CareBranchStats = BranchStats;

/**
 * CARE as a branch of the frame stream: frames are offered to the model under a declared backpressure policy
 * (latest-only, drop-oldest, every-nth); the ones it cannot take are skipped and counted, and the source is
 * never slowed. Restoration happens in `restorer` (use WorkerCareRestorer on the live path, so inference runs
 * off the thread that receives frames). Emits restored frames linked to their raw frame's metadata.
 */
export function careBranch(restorer: FrameRestorer, policy: BranchPolicy = { kind: 'latest-only' }, hooks: BranchHooks = {}): OperatorFunction<Frame, CareRestoredFrame> {
  return boundedBranch<Frame, CareRestoredFrame>(
    policy,
    async (frame) => {
      const startedMs = Date.now();
      const { widthPx, heightPx, restored, uncertainty, quality } = await restorer.restore(frame.pixels, frame.meta.width, frame.meta.height);
      return {
        kind: CARE_FRAME_KIND,
        pixels: restored,
        uncertainty,
        width: widthPx,
        height: heightPx,
        source: frame.meta,
        quality: { ...quality, modelId: restorer.modelId, runtime: restorer.runtimeName, latencyMs: Date.now() - startedMs },
      };
    },
    hooks,
  );
}
