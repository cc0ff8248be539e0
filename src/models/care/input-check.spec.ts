import { initTfjsBackend } from '../runtime/tfjs-backend';
import { TfjsRuntime } from '../runtime/tfjs-runtime';
import { CareRestorer } from './care-restorer';
import { independentPair, ISSUE_FIELD } from './evaluation/independent-specimen';
import { checkInput, fingerprintOf, measureInput, OUTSIDE_TRAINING_RANGE, type TrainingFingerprint } from './input-check';
import { percentileRange } from './normalization';
import { fitCalibration, type CalibrationSample } from './quality-calibration';
import { TINY_CARE_CONFIG, tinyCareNetwork } from './testing/tiny-care';

const SIZE = 128;
const frame = (peakPhotons: number, seed: number, gain = 1) =>
  independentPair({ ...ISSUE_FIELD, seed, sizePx: SIZE, peakPhotons, backgroundPhotons: peakPhotons / 6, camera: { ...ISSUE_FIELD.camera, gainAduPerElectron: gain } }).raw;
const measure = (pixels: Float32Array) => measureInput(pixels, SIZE, SIZE, percentileRange(pixels));

describe('the input check against the training fingerprint', () => {
  const fingerprint: TrainingFingerprint = fingerprintOf([40, 50, 60].map((p, i) => measure(frame(p, 100 + i))));

  it('estimates the photon level whatever the camera gain, and the relative noise falls with it', () => {
    const at50 = measure(frame(50, 7));
    const at50HighGain = measure(frame(50, 7, 4));
    const at400 = measure(frame(400, 7));
    expect(at50.peakPhotons).not.toBeNull();
    expect(at50HighGain.peakPhotons! / at50.peakPhotons!).toBeGreaterThan(0.75);
    expect(at50HighGain.peakPhotons! / at50.peakPhotons!).toBeLessThan(1.33);
    expect(at50HighGain.aduPerPhoton! / at50.aduPerPhoton!).toBeGreaterThan(3);
    expect(at400.peakPhotons! / at50.peakPhotons!).toBeGreaterThan(4);
    expect(at400.normalizedNoise).toBeLessThan(at50.normalizedNoise / 2);
    expect(at50.darkLevelAdu).toBeGreaterThan(100);
  });

  it("marks frames far brighter or noisier than the training inputs as outside the model's training range", () => {
    expect(checkInput(measure(frame(50, 9)), fingerprint)).toEqual(expect.objectContaining({ withinTrainingRange: true, reasons: [] }));
    const bright = checkInput(measure(frame(800, 9)), fingerprint);
    expect(bright.withinTrainingRange).toBe(false);
    expect(bright.label).toBe(OUTSIDE_TRAINING_RANGE);
    expect(bright.reasons.join('; ')).toMatch(/above the training data/);
    const dim = checkInput(measure(frame(3, 9)), fingerprint);
    expect(dim.withinTrainingRange).toBe(false);
    expect(dim.reasons.join('; ')).toMatch(/relative noise .* above/);
  });

  it('travels with the restored frame, and the PSNR figure goes through the package calibration', async () => {
    await initTfjsBackend();
    const runtime = new TfjsRuntime(tinyCareNetwork());
    // a calibration that says "measured = input PSNR + 3 dB", whatever the network predicts
    const samples: CalibrationSample[] = Array.from({ length: 20 }, (_, i) => ({
      predictedPsnrDb: 20 + ((i * 7) % 5),
      inputPsnrDb: 10 + i,
      peakPhotons: 10 * (1 + (i % 4)),
      measuredPsnrDb: 13 + i,
    }));
    const qualityCalibration = fitCalibration(samples);
    const plain = new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 });
    const packaged = new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, {}, undefined, { trainingFingerprint: fingerprint, qualityCalibration });
    const bright = frame(800, 11);
    const a = (await plain.restore(bright, SIZE, SIZE)).quality;
    const b = (await packaged.restore(bright, SIZE, SIZE)).quality;
    expect(a.inputCheck).toBeUndefined();
    expect(a.psnrCalibrated).toBe(false);
    expect(a.predictedPsnrDb).toBe(a.uncalibratedPsnrDb);
    expect(b.inputCheck?.label).toBe(OUTSIDE_TRAINING_RANGE);
    expect(b.psnrCalibrated).toBe(true);
    expect(b.uncalibratedPsnrDb).toBeCloseTo(a.uncalibratedPsnrDb, 6);
    const inputPsnr = -20 * Math.log10(b.inputCheck!.estimated.normalizedNoise);
    // clamped into what the calibration was fitted on (input PSNR 10–29 dB, measured 13–32 dB)
    expect(b.predictedPsnrDb).toBeCloseTo(Math.min(32, Math.max(13, Math.min(29, Math.max(10, inputPsnr)) + 3)), 3);
    await runtime.dispose();
  }, 60_000);
});
