import type { ZooModel, ZooPrediction } from './zoo-model';

/** One frame's prediction: the chosen output's channels (channel-first, the frame's size) and its soundness. */
export interface FramePrediction {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly channels: readonly Float32Array[];
  readonly channelNames?: readonly string[];
  readonly tiles: number;
  readonly nonFiniteCount: number;
  /** For probability outputs (sigmoid or binarize last, ensure_dtype aside): mean |p − 0.5| · 2 over all pixels, 0 (unsure) … 1 (sure). */
  readonly confidence?: number;
}

/** A Zoo model as the live branch sees it (in this thread, or in a worker: WorkerZooPredictor). */
export interface FramePredictor {
  readonly modelId: string;
  readonly runtimeName: string;
  predict(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<FramePrediction>;
  close(): Promise<void>;
}

export function confidenceOf(channels: readonly Float32Array[]): number {
  let sum = 0;
  let n = 0;
  for (const c of channels) {
    for (const p of c) {
      if (!Number.isFinite(p)) continue;
      sum += Math.abs(p - 0.5);
      n++;
    }
  }
  return n ? (2 * sum) / n : 0;
}

/** Splits a ZooModel prediction into the frame prediction of output `outputIndex`. */
export function toFramePrediction(model: ZooModel, prediction: ZooPrediction, outputIndex = 0): FramePrediction {
  const out = prediction.outputs[outputIndex];
  const n = out.planes.heightPx * out.planes.widthPx;
  const channels = Array.from({ length: out.planes.channels }, (_, c) => out.planes.data.slice(c * n, (c + 1) * n));
  const last = model.outputs[outputIndex].postprocessing.filter((step) => step.kind !== 'ensure_dtype').at(-1)?.kind;
  const probability = last === 'sigmoid' || last === 'binarize';
  return {
    widthPx: out.planes.widthPx,
    heightPx: out.planes.heightPx,
    channels,
    ...(out.channelNames ? { channelNames: out.channelNames } : {}),
    tiles: prediction.tiles,
    nonFiniteCount: prediction.nonFiniteCount,
    ...(probability ? { confidence: confidenceOf(channels) } : {}),
  };
}

/** A ZooModel used in the calling thread (batch commands, tests outside Jest). */
export function inThreadPredictor(model: ZooModel, outputIndex = 0): FramePredictor {
  return {
    modelId: model.name,
    runtimeName: model.runtimeName,
    predict: async (pixels, widthPx, heightPx) => toFramePrediction(model, await model.predictImage(pixels, widthPx, heightPx), outputIndex),
    close: () => model.dispose(),
  };
}
