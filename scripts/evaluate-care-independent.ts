/**
 * `node -r ts-node/register/transpile-only scripts/evaluate-care-independent.ts [options]`: CARE against tuned
 * classical denoisers on data from the independent generator (src/models/care/evaluation/independent-specimen.ts),
 * never the simulator the shipped model was trained on. JSON lines on stdout, progress on stderr.
 *
 *   --model <name|folder>         evaluate that model (default care-default) at each --photons level
 *   --train-pairs N               instead: train CARE (the `scope train care` defaults) on N own pairs at the first
 *                                 --photons level, then evaluate it on --count unseen pairs; --out keeps the model
 *   --calibration-out <file.json> also write each test frame's predicted and measured PSNR
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { SHIPPED_CARE_CONFIG } from '../src/models/care/care-config';
import { loadCareModel } from '../src/models/care/care-model';
import { careDescription } from '../src/models/care/care-package';
import { CareRestorer, type Restoration } from '../src/models/care/care-restorer';
import { compareDenoisers, type GroundTruthPair } from '../src/models/care/evaluation/compare-denoisers';
import { denoiserVerdict } from '../src/models/care/evaluation/denoiser-verdict';
import { restorationMetrics } from '../src/models/care/evaluation/image-metrics';
import { independentPairs, ISSUE_FIELD, type IndependentFieldOptions } from '../src/models/care/evaluation/independent-specimen';
import { trainCareSupervised } from '../src/models/care/training/train-care';
import { TfjsRuntime } from '../src/models/runtime/tfjs-runtime';
import { writeModelFolder } from '../src/models/store/model-folder';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';

const argsSchema = z.object({
  model: z.string().default('care-default'),
  photons: z.string().default('12'),
  count: z.coerce.number().int().positive().default(6),
  sizePx: z.coerce.number().int().positive().default(256),
  seed: z.coerce.number().int().nonnegative().default(31_337),
  psfSigmaPx: z.coerce.number().positive().default(1.6),
  backgroundPhotons: z.coerce.number().nonnegative().default(2),
  emGain: z.coerce.number().min(1).default(1),
  trainPairs: z.coerce.number().int().nonnegative().default(0),
  epochs: z.coerce.number().int().positive().default(20),
  out: z.string().optional(),
  calibrationOut: z.string().optional(),
  nlm: z.enum(['yes', 'no']).default('yes'),
});
const USAGE = 'evaluate-care-independent.ts [--model m] [--photons 3,12,50] [--count N] [--train-pairs N] [--out dir]';

const round = (v: number, digits = 2) => Number(v.toFixed(digits));

async function main(): Promise<void> {
  const { options: args } = parseOptions(process.argv.slice(2), argsSchema, USAGE);
  const levels = args.photons.split(',').map(Number);
  const field = (peakPhotons: number, seed: number): IndependentFieldOptions => ({
    ...ISSUE_FIELD,
    seed,
    sizePx: args.sizePx,
    peakPhotons,
    backgroundPhotons: args.backgroundPhotons,
    psf: { kind: 'gaussian', sigmaPx: args.psfSigmaPx },
    camera: { ...ISSUE_FIELD.camera, emGain: args.emGain },
  });
  const toPairs = (pairs: ReturnType<typeof independentPairs>): GroundTruthPair[] => pairs.map((p) => ({ ...p }));
  let restore: (p: GroundTruthPair) => Promise<Restoration>;
  let modelName = args.model;
  let dispose: () => Promise<void> = async () => undefined;
  if (args.trainPairs > 0) {
    const own = independentPairs(args.trainPairs, field(levels[0], args.seed + 500_000));
    const architecture = SHIPPED_CARE_CONFIG;
    const started = Date.now();
    const result = await trainCareSupervised(
      own.map((p) => ({
        source: { pixels: p.raw, widthPx: p.widthPx, heightPx: p.heightPx },
        target: { pixels: p.target, widthPx: p.widthPx, heightPx: p.heightPx },
      })),
      {
        architecture,
        seed: 1,
        patchPx: 64,
        patchesPerImage: 64,
        validationFraction: 0.1,
        batchSize: 16,
        epochs: args.epochs,
        stepsPerEpoch: 40,
        learningRate: 1e-3,
        calibrationEpochs: Math.max(1, Math.round(args.epochs / 5)),
        onProgress: (p) => {
          if (p.step === p.stepsPerEpoch)
            process.stderr.write(`${p.phase} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val ${p.validationLoss.toFixed(4)}\n`);
        },
      },
    );
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `${JSON.stringify({ table: 'own-pairs-training', pairs: args.trainPairs, peakPhotons: levels[0], seconds: Math.round(seconds), bestEpoch: result.history.bestEpoch })}\n`,
    );
    const runtime = new TfjsRuntime(result.model);
    const restorer = new CareRestorer(runtime, architecture, { lowPercent: 1, highPercent: 99.8 });
    restore = (p) => restorer.restore(p.raw, p.widthPx, p.heightPx);
    modelName = `care-own-${args.trainPairs}-pairs`;
    if (args.out) {
      const description = careDescription({
        name: modelName,
        description: `CARE trained on ${args.trainPairs} pairs of the independent generator at ${levels[0]} peak photons`,
        architecture,
        training: { mode: 'supervised', epochs: args.epochs, seconds: Math.round(seconds) },
        trainingData: { name: 'independent-specimen pairs', description: `seed ${args.seed + 500_000}` },
      });
      await writeModelFolder(resolve(args.out), result.model, description);
    }
    dispose = () => runtime.dispose();
  } else {
    const model = await loadCareModel(args.model);
    restore = (p) => model.restore(p.raw, p.widthPx, p.heightPx);
    dispose = () => model.dispose();
  }
  const calibration: Array<{
    peakPhotons: number;
    predictedPsnrDb: number;
    uncalibratedPsnrDb: number;
    measuredPsnrDb: number;
    outside: boolean;
    estimatedPeakPhotons: number | null;
  }> = [];
  for (const peakPhotons of levels) {
    const pairs = toPairs(independentPairs(args.count, field(peakPhotons, args.seed)));
    const restorations = new Map<GroundTruthPair, Restoration>();
    const started = Date.now();
    const rows = await compareDenoisers(
      pairs,
      {
        care: async (p) => {
          const r = await restore(p);
          restorations.set(p, r);
          return r.restored;
        },
      },
      args.nlm === 'no' ? { nlm: false } : {},
    );
    for (const p of pairs) {
      const r = restorations.get(p)!;
      calibration.push({
        peakPhotons,
        predictedPsnrDb: r.quality.predictedPsnrDb,
        uncalibratedPsnrDb: r.quality.uncalibratedPsnrDb,
        measuredPsnrDb: restorationMetrics(r.restored, p.groundTruth, p.widthPx, p.heightPx).psnrDb,
        outside: r.quality.inputCheck?.withinTrainingRange === false,
        estimatedPeakPhotons: r.quality.inputCheck?.estimated.peakPhotons ?? null,
      });
    }
    for (const row of rows) {
      process.stdout.write(
        `${JSON.stringify({ table: 'independent', model: modelName, peakPhotons, method: row.method, setting: row.setting, psnrDb: round(row.psnrDb), ssim: round(row.ssim, 4) })}\n`,
      );
    }
    const verdict = denoiserVerdict(rows, 1, 'care');
    const mine = calibration.filter((c) => c.peakPhotons === peakPhotons);
    const mean = (f: (c: (typeof mine)[number]) => number) => mine.reduce((s, c) => s + f(c), 0) / mine.length;
    process.stdout.write(
      `${JSON.stringify({ table: 'verdict', model: modelName, peakPhotons, beats: verdict.beatsClassical, marginDb: round(verdict.marginDb), label: verdict.label, predictedPsnrDb: round(mean((c) => c.predictedPsnrDb)), uncalibratedPsnrDb: round(mean((c) => c.uncalibratedPsnrDb)), outsideTrainingRange: mine.filter((c) => c.outside).length, estimatedPeakPhotons: mine.map((c) => c.estimatedPeakPhotons && round(c.estimatedPeakPhotons, 1)), measuredPsnrDb: round(mean((c) => c.measuredPsnrDb)), seconds: Math.round((Date.now() - started) / 1000) })}\n`,
    );
  }
  if (args.calibrationOut) writeFileSync(args.calibrationOut, JSON.stringify(calibration, null, 1));
  await dispose();
}

runScript('evaluate-care-independent', main);
