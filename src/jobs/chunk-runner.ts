import { performance } from 'node:perf_hooks';
import { loadCareModel, type CareModel } from '../models/care/care-model';
import type { PlaneStack } from '../models/io/stack-io';
import { openDeepStorm, type DeepStormEngine } from '../models/smlm/deep-storm/load-deep-storm';
import { DeepStormProcessor } from '../models/smlm/reconstruct/frame-processor';
import { chunkKey } from './chunk-plan';
import { encodeChunk, type ChunkHeader } from './chunk-file';
import { isZarrOutput, putDerivedPlane } from './derived-zarr';
import type { ChunkOutcome, ChunkTask, JobSpec } from './job-spec';
import type { JobStorage } from './job-storage';
import { ChunkInputError } from './jobs-errors';
import type { ChunkRestoration, PlaneQuality } from './restoration-record';

type StormMethod = Extract<JobSpec['method'], { kind: 'storm' }>;
type DenoiseMethod = Extract<JobSpec['method'], { kind: 'denoise' }>;

interface Computed {
  readonly pixels: Float32Array;
  readonly images: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelSizeNm: number;
  readonly restoration?: ChunkRestoration;
  readonly widefield?: ChunkHeader['widefield'];
  readonly planesIn?: string;
}

/**
 * Computes chunks and puts their results in the job storage. Models and the data set last opened stay open from
 * chunk to chunk, so a worker pays for loading them once, not per chunk.
 */
export class ChunkRunner {
  private readonly models = new Map<string, Promise<DeepStormEngine | CareModel>>();
  private stack: { key: string; open: Promise<PlaneStack> } | undefined;
  private modelMs = 0;

  constructor(
    private readonly storage: JobStorage,
    readonly workerName: string,
  ) {}

  async run(spec: JobSpec, task: ChunkTask): Promise<ChunkOutcome> {
    const stack = await this.openStack(spec.dataset.key);
    this.modelMs = 0;
    const computed =
      spec.method.kind === 'storm' ? await this.storm(spec, spec.method, stack, task) : await this.denoise(spec, spec.method, stack, task);
    const { pixels, ...image } = computed;
    const bytes = encodeChunk({ jobId: spec.id, index: task.index, first: task.first, count: task.count, ...image }, pixels);
    const key = chunkKey(spec.id, task.index);
    await this.storage.put(key, bytes);
    return { index: task.index, key, bytes: bytes.byteLength, worker: this.workerName, modelMs: this.modelMs };
  }

  async dispose(): Promise<void> {
    const stack = this.stack;
    this.stack = undefined;
    if (stack) await (await stack.open.catch(() => undefined))?.close();
    for (const model of this.models.values()) {
      const opened = await model.catch(() => undefined);
      if (opened) await ('dispose' in opened ? opened.dispose() : opened.runtime.dispose());
    }
    this.models.clear();
  }

  private async openStack(key: string): Promise<PlaneStack> {
    if (this.stack?.key !== key) {
      const previous = this.stack;
      this.stack = { key, open: this.storage.openStack(key) };
      if (previous) await (await previous.open.catch(() => undefined))?.close();
    }
    const open = this.stack.open;
    return open.catch((error: unknown) => {
      this.stack = undefined;
      throw error;
    });
  }

  private async readPlane(stack: PlaneStack, key: string, plane: number): Promise<ArrayLike<number>> {
    try {
      return await stack.readPlane(plane);
    } catch (error) {
      throw new ChunkInputError(`plane ${plane} of ${key} cannot be read: ${(error as Error).message}`);
    }
  }

  private model<T extends DeepStormEngine | CareModel>(name: string, open: () => Promise<T>): Promise<T> {
    let model = this.models.get(name);
    if (!model) {
      model = open();
      model.catch(() => this.models.delete(name));
      this.models.set(name, model);
    }
    return model as Promise<T>;
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.modelMs += performance.now() - started;
    }
  }

  private async storm(spec: JobSpec, method: StormMethod, stack: PlaneStack, task: ChunkTask): Promise<Computed> {
    const engine = await this.model(`storm:${method.model}:${method.runtime}`, () => openDeepStorm(method.model, method.runtime));
    const processor = new DeepStormProcessor(engine);
    const cameraNm = method.pixelSizeNm ?? (spec.dataset.pixelSizeUm ? spec.dataset.pixelSizeUm * 1000 : engine.scope.trainingPixelSizeNm);
    const grid = { widthPx: stack.widthPx, heightPx: stack.heightPx, pixelSizeNm: cameraNm };
    const up = processor.upsampling;
    const srArea = grid.widthPx * up * grid.heightPx * up;
    // the super-resolved sum, then the frames' sum on the camera grid: the merge's SQUIRREL reference
    const pixels = new Float32Array(srArea + grid.widthPx * grid.heightPx);
    const image = pixels.subarray(0, srArea);
    const widefield = pixels.subarray(srArea);
    // batches start at the chunk's first frame, which is a multiple of the batch: the network sees the batches one run sees
    for (let first = task.first; first < task.first + task.count; first += processor.preferredBatch) {
      const frames: Array<ArrayLike<number>> = [];
      for (let plane = first; plane < Math.min(first + processor.preferredBatch, task.first + task.count); plane++)
        frames.push(await this.readPlane(stack, spec.dataset.key, plane));
      const { superResolved } = await this.timed(() => processor.process(frames, first, grid));
      for (let i = 0; i < image.length; i++) image[i] += superResolved[i];
      for (const frame of frames) for (let i = 0; i < widefield.length; i++) widefield[i] += frame[i];
    }
    return {
      pixels,
      images: 1,
      widthPx: grid.widthPx * up,
      heightPx: grid.heightPx * up,
      pixelSizeNm: cameraNm / up,
      widefield: { widthPx: grid.widthPx, heightPx: grid.heightPx },
    };
  }

  private async denoise(spec: JobSpec, method: DenoiseMethod, stack: PlaneStack, task: ChunkTask): Promise<Computed> {
    const model = await this.model(`denoise:${method.model}:${method.runtime}`, () =>
      loadCareModel(method.model, { runtime: method.runtime }),
    );
    const area = stack.widthPx * stack.heightPx;
    // a derived OME-Zarr takes each plane as its own object; an OME-TIFF is written whole by the merge, from chunk files
    const planesIn = isZarrOutput(spec.output) ? spec.output : undefined;
    const planes = new Float32Array(planesIn ? 0 : task.count * area);
    const quality: PlaneQuality[] = [];
    for (let k = 0; k < task.count; k++) {
      const pixels = await this.readPlane(stack, spec.dataset.key, task.first + k);
      const restoration = await this.timed(() => model.restore(pixels, stack.widthPx, stack.heightPx));
      if (planesIn) await putDerivedPlane(this.storage, planesIn, task.first + k, restoration.restored);
      else planes.set(restoration.restored, k * area);
      quality.push({ plane: task.first + k, ...restoration.quality });
    }
    return {
      pixels: planes,
      ...(planesIn ? { planesIn } : {}),
      images: task.count,
      widthPx: stack.widthPx,
      heightPx: stack.heightPx,
      pixelSizeNm: (stack.pixelSizeUm ?? 1) * 1000,
      restoration: {
        model: { id: model.id, name: model.name, runtime: model.runtime.name, uncertainty: model.uncertaintyMethod },
        planes: quality,
      },
    };
  }
}
