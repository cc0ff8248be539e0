import { OnnxTensorSession } from '../runtime/onnx/onnx-session';
import { ModelInputShapeError } from '../store/model-errors';
import type { AxisId } from './axis-ids';
import { planes, type Planes } from './planes';
import { applySteps } from './processing';
import { compareWithTestOutput, type ReproductionReport } from './reproduce';
import { fromModelLayout, toModelLayout } from './tensor-layout';
import { extractTile, placeTile, planAxis, type AxisPlan } from './tiling';
import type { AxisSize, ZooAxis, ZooTensor } from './zoo-description';
import { ZooPackageError, ZooReproducibilityError } from './zoo-errors';
import { readPackageFile, readZooPackage, type ZooPackage } from './zoo-package';
import { readNpy } from './npy';

export interface ZooModelOptions {
  /** ONNX Runtime intra-op threads; the runtime's default (the cores present) when absent. */
  readonly threads?: number;
  /** Largest tile side for networks that take several sizes; larger images are tiled. Default 1024. */
  readonly maxTilePx?: number;
  /** Run the package's test input on load and refuse the model unless it reproduces the test output. Default true. */
  readonly checkReproduction?: boolean;
}

export interface ZooOutput {
  readonly id: string;
  readonly channelNames?: readonly string[];
  readonly planes: Planes;
}

export interface ZooPrediction {
  readonly outputs: readonly ZooOutput[];
  readonly tiles: number;
  /** Output values that are NaN or infinite (0 for a sound prediction). */
  readonly nonFiniteCount: number;
}

function alignmentOf(size: AxisSize, tilePx: number): number {
  if (size.kind === 'parametrized' && size.step > 0) return size.step;
  let align = 1;
  while (align < 16 && tilePx % (align * 2) === 0) align *= 2;
  return align;
}

/** The tile side the network takes for an image side of `lengthPx`. */
function tileSideFor(axis: ZooAxis, lengthPx: number, maxTilePx: number, where: string): number {
  const size = axis.size;
  if (size.kind === 'fixed') return size.size;
  if (size.kind === 'any') return lengthPx;
  if (size.kind === 'reference') throw new ZooPackageError(where, `input axis ${axis.id} refers to another tensor; not supported`);
  if (size.step === 0) return size.min;
  const fitting = lengthPx <= size.min ? size.min : size.min + Math.ceil((lengthPx - size.min) / size.step) * size.step;
  if (fitting <= maxTilePx) return fitting;
  return size.min + Math.max(0, Math.floor((maxTilePx - size.min) / size.step)) * size.step;
}

const idsOf = (t: ZooTensor): AxisId[] => t.axes.map((a) => a.id);

/**
 * A BioImage Model Zoo package on ONNX Runtime: the whole sample is pre-processed, tiled to the sizes the network
 * takes (cutting the output halo), run tile by tile, stitched and post-processed, as bioimageio.core predicts.
 */
export class ZooModel {
  private constructor(
    readonly pkg: ZooPackage,
    private readonly session: OnnxTensorSession,
    private readonly maxTilePx: number,
  ) {}

  get name(): string {
    return this.pkg.description.name;
  }

  get runtimeName(): string {
    return this.session.runtimeName;
  }

  get input(): ZooTensor {
    return this.pkg.description.inputs[0];
  }

  get outputs(): readonly ZooTensor[] {
    return this.pkg.description.outputs;
  }

  /** Channels the network takes. */
  get inputChannels(): number {
    const c = this.input.axes.find((a) => a.id === 'c');
    return c && c.size.kind === 'fixed' ? c.size.size : 1;
  }

  static async open(folder: string, options: ZooModelOptions = {}): Promise<ZooModel> {
    const pkg = readZooPackage(folder);
    const onnx = readPackageFile(pkg.folder, pkg.description.onnx!);
    let session: OnnxTensorSession;
    try {
      session = await OnnxTensorSession.create(onnx, options.threads);
    } catch (err) {
      throw new ZooPackageError(pkg.folder, `${pkg.description.onnx!.source} does not open in ONNX Runtime (${(err as Error).message})`);
    }
    if (session.inputs.length !== 1 || session.outputs.length !== pkg.description.outputs.length) {
      await session.dispose();
      throw new ZooPackageError(pkg.folder, `the ONNX graph has ${session.inputs.length} input(s) and ${session.outputs.length} output(s); the description ${pkg.description.inputs.length} and ${pkg.description.outputs.length}`);
    }
    const model = new ZooModel(pkg, session, options.maxTilePx ?? 1024);
    if (options.checkReproduction ?? true) {
      try {
        const report = await model.reproduceTestOutput();
        if (!report.passed) throw new ZooReproducibilityError(pkg.folder, `test input does not reproduce the test output: ${report.summary}`);
      } catch (err) {
        await model.dispose();
        throw err;
      }
    }
    return model;
  }

  /** Checks an image against what the network takes (channels), naming the model; sizes are tiled. */
  private checkShape(image: Planes): void {
    const where = `Zoo model "${this.name}" input "${this.input.id}"`;
    if (image.heightPx < 1 || image.widthPx < 1 || image.data.length !== image.channels * image.heightPx * image.widthPx) {
      throw new ModelInputShapeError(`${where}: ${image.data.length} values for ${image.channels}×${image.heightPx}×${image.widthPx}`);
    }
    if (image.channels !== this.inputChannels) {
      throw new ModelInputShapeError(`${where} takes ${this.inputChannels} channel(s)${this.input.channelNames ? ` (${this.input.channelNames.join(', ')})` : ''}; got ${image.channels}`);
    }
  }

  /** One single-channel image (e.g. a camera frame), row-major. */
  predictImage(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<ZooPrediction> {
    if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 1 || heightPx < 1 || pixels.length !== widthPx * heightPx) {
      return Promise.reject(new ModelInputShapeError(`Zoo model "${this.name}": ${pixels.length} pixels for a ${widthPx}×${heightPx} image`));
    }
    // A copy (the caller may reuse its buffer while the network runs); slice() is a memcpy, Float32Array.from iterates.
    return this.predict(planes(1, heightPx, widthPx, pixels instanceof Float32Array ? pixels.slice() : Float32Array.from(pixels)));
  }

  async predict(image: Planes): Promise<ZooPrediction> {
    this.checkShape(image);
    const input = this.input;
    const pre = applySteps(image, input.preprocessing);
    const axis = (id: 'y' | 'x') => input.axes.find((a) => a.id === id)!;
    const halo = (id: 'y' | 'x') => Math.max(0, ...this.outputs.map((o) => o.axes.find((a) => a.id === id)?.halo ?? 0));
    const plan = (id: 'y' | 'x', length: number): AxisPlan => {
      const tile = tileSideFor(axis(id), length, this.maxTilePx, this.pkg.folder);
      return planAxis(length, tile, halo(id), alignmentOf(axis(id).size, tile));
    };
    const yPlan = plan('y', pre.heightPx);
    const xPlan = plan('x', pre.widthPx);
    const stitched: Array<Planes | undefined> = this.outputs.map(() => undefined);
    let tiles = 0;
    for (const tileY of yPlan.tiles) {
      for (const tileX of xPlan.tiles) {
        const whole = yPlan.tiles.length === 1 && xPlan.tiles.length === 1 && yPlan.tilePx === pre.heightPx && xPlan.tilePx === pre.widthPx;
        const tile = whole ? pre : extractTile(pre, yPlan, xPlan, tileY, tileX);
        const results = await this.session.run([toModelLayout(tile, idsOf(input))]);
        tiles++;
        results.forEach((r, k) => {
          const out = fromModelLayout(r.data, r.dims, idsOf(this.outputs[k]));
          if (whole && out.heightPx === pre.heightPx && out.widthPx === pre.widthPx) {
            stitched[k] = out;
            return;
          }
          const target = (stitched[k] ??= planes(out.channels, pre.heightPx, pre.widthPx));
          placeTile(target, out, yPlan, xPlan, tileY, tileX);
        });
      }
    }
    const lookup = (id: string) => (id === input.id ? pre : undefined);
    let nonFiniteCount = 0;
    const outputs = this.outputs.map((o, k): ZooOutput => {
      const post = applySteps(stitched[k]!, o.postprocessing, lookup);
      const data = post.data;
      for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) nonFiniteCount++;
      return { id: o.id, ...(o.channelNames ? { channelNames: o.channelNames } : {}), planes: post };
    });
    return { outputs, tiles, nonFiniteCount };
  }

  /** Runs the package's test input and compares with its test output by the package's tolerance. */
  async reproduceTestOutput(): Promise<ReproductionReport> {
    const { folder, description } = this.pkg;
    const testIn = readNpy(readPackageFile(folder, this.input.testTensor), this.input.testTensor.source);
    const image = fromModelLayout(testIn.data, testIn.shape, idsOf(this.input));
    const prediction = await this.predict(image);
    const expected = this.outputs.map((o) => {
      const npy = readNpy(readPackageFile(folder, o.testTensor), o.testTensor.source);
      return { id: o.id, planes: fromModelLayout(npy.data, npy.shape, idsOf(o)) };
    });
    return compareWithTestOutput(prediction.outputs, expected, description.tolerance);
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
