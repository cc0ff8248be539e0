/** Child script for zoo-model.spec (ONNX Runtime does not run inside Jest's sandbox): one JSON line of findings. */
import { ModelInputShapeError } from '../../store/model-errors';
import { planes } from '../planes';
import { ZooModel } from '../zoo-model';
import { carePackage, ramp } from './care-zoo-package';
import { removeTempDirs, UNET2D_NUCLEI_BROAD, unetPackage04 } from './zoo-packages';

const errorOf = async (run: () => Promise<unknown>) => {
  try {
    await run();
    return null;
  } catch (err) {
    const e = err as Error;
    return { name: e.name, message: e.message, isShapeError: e instanceof ModelInputShapeError };
  }
};

async function main(): Promise<void> {
  const unet = await ZooModel.open(UNET2D_NUCLEI_BROAD, { threads: 2 });
  const unetReport = await unet.reproduceTestOutput();
  const twoChannels = await errorOf(() => unet.predict(planes(2, 64, 64)));
  const shortPixels = await errorOf(() => unet.predictImage(new Float32Array(100), 64, 64));
  const odd = await unet.predictImage(ramp(500, 700), 500, 700);
  let low = Infinity;
  let high = -Infinity;
  for (const v of odd.outputs[0].planes.data) [low, high] = [Math.min(low, v), Math.max(high, v)];
  await unet.dispose();

  const v04 = await ZooModel.open(unetPackage04(), { threads: 2 });
  const v04Report = await v04.reproduceTestOutput();
  await v04.dispose();

  const care = await carePackage();
  const whole = await ZooModel.open(care, { threads: 2 });
  const tiled = await ZooModel.open(care, { threads: 2, maxTilePx: 192 });
  const image = ramp(500, 700);
  const a = await whole.predictImage(image, 500, 700);
  const b = await tiled.predictImage(image, 500, 700);
  let maxDiff = 0;
  let maxAbs = 0;
  a.outputs[0].planes.data.forEach((v, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(v - b.outputs[0].planes.data[i]));
    maxAbs = Math.max(maxAbs, Math.abs(v));
  });
  await whole.dispose();
  await tiled.dispose();
  const refused = await errorOf(async () => ZooModel.open(await carePackage(true), { threads: 1 }));

  const result = {
    unet: { name: unet.name, report: unetReport, twoChannels, shortPixels, odd: { tiles: odd.tiles, channels: odd.outputs[0].planes.channels, heightPx: odd.outputs[0].planes.heightPx, widthPx: odd.outputs[0].planes.widthPx, low, high, nonFinite: odd.nonFiniteCount } },
    v04: { report: v04Report },
    tiling: { wholeTiles: a.tiles, tiledTiles: b.tiles, channels: a.outputs[0].planes.channels, maxDiff, maxAbs },
    refused,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main().finally(removeTempDirs);
