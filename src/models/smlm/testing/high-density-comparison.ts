/** Child script for deep-storm-vs-classical.spec: both methods on one simulated high-density movie. */
import { BlinkingMovie } from '../../../../simulators/sample/blinking';
import { openDeepStorm } from '../deep-storm/load-deep-storm';
import type { Localisation } from '../localisation';
import { scoreLocalisations } from '../metrics/match-localisations';
import { ClassicalProcessor, DeepStormProcessor, type FrameBatchProcessor } from '../reconstruct/frame-processor';
import { reconstructStack } from '../reconstruct/reconstruct-stack';

async function main(): Promise<void> {
  const [model = 'deep-storm-default', density = '5'] = process.argv.slice(2);
  const side = 48;
  const frames = new BlinkingMovie({ seed: 2024, widthPx: side, heightPx: side, densityPerUm2: Number(density) }).take(6);
  const truth = frames.flatMap((f) => f.emitters);
  const grid = { widthPx: side, heightPx: side, pixelSizeNm: 100 };
  const engine = await openDeepStorm(model);
  const run = async (p: FrameBatchProcessor) => {
    const locs: Localisation[] = [];
    const { snapshot } = await reconstructStack(frames.map((f) => f.pixels), grid, p, { onLocalisations: (l) => locs.push(...l) });
    const s = scoreLocalisations(locs, truth, 100);
    return { jaccard: s.jaccard, recall: s.recall, precision: s.precision, rmseNm: s.rmseNm, widthPx: snapshot.widthPx, heightPx: snapshot.heightPx, pixelSizeNm: snapshot.pixelSizeNm };
  };
  const deepStorm = await run(new DeepStormProcessor(engine, true));
  const classical = await run(new ClassicalProcessor(engine.scope.upsampling));
  await engine.runtime.dispose();
  process.stdout.write(`${JSON.stringify({ runtime: engine.runtime.name, emitters: truth.length, deepStorm, classical })}\n`);
}

void main();
