import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../src/acquisition/frame';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { acquireFrames, correlation } from './support/acquire-frames';
import { simulatedAppPerSuite } from './support/start-app';

const SLICES = 7;
const PLAN = {
  time_plan: { interval: 0, loops: 2 },
  z_plan: { range: 60, step: 10 },
  channels: [{ config: 'FITC', exposure: 2 }],
};

/** Micro-Manager's demo configuration with the demo Z stage's UseSequences turned on, as a user's cfg would. */
function sequenceableZConfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'scope-zseq-cfg-')), 'demo-sequenceable-z.cfg');
  const demo = readFileSync(join(__dirname, '../simulators/micro-manager/config/demo.cfg'), 'utf8');
  writeFileSync(path, `${demo.trimEnd()}\nProperty,Z,UseSequences,Yes\n`);
  return path;
}

/** Spread of each z slice's pixels (the focus shows as contrast), at the first time point. */
function contrastBySlice(frames: readonly Frame[]): number[] {
  return frames
    .filter((frame) => (frame.meta.index.t ?? 0) === 0)
    .sort((a, b) => (a.meta.index.z ?? 0) - (b.meta.index.z ?? 0))
    .map((frame) => {
      const pixels = frame.pixels as ArrayLike<number>;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < pixels.length; i++) {
        sum += pixels[i];
        squares += pixels[i] * pixels[i];
      }
      const mean = sum / pixels.length;
      return Math.sqrt(squares / pixels.length - mean * mean);
    });
}

describe('z-stacks as stage sequences when the focus stage is sequenceable', () => {
  const running = simulatedAppPerSuite('scope-zseq-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 64, microManagerConfig: sequenceableZConfig() },
  });

  it('runs time × z as one camera sequence with the stage stepping per frame, and the slices focus as in software', async () => {
    const service = running.app.get(AcquisitionService);
    const hardware = await acquireFrames(service, PLAN, { hardwareSequencing: true });
    expect(hardware.status).toMatchObject({ state: 'finished', framesWritten: 2 * SLICES, framesDropped: 0 });
    expect(hardware.status.sequencing).toEqual(
      expect.arrayContaining([expect.stringMatching(/z-stacks in hardware: focus stage Z steps through loaded sequences of up to 2000/)]),
    );
    // One camera sequence: the camera numbered every frame, 0 … 13, in plan order.
    const ordered = [...hardware.frames].sort((a, b) => a.meta.sequence - b.meta.sequence);
    expect(ordered.map((frame) => Number(frame.meta.tags?.['ImageNumber']))).toEqual([...Array(2 * SLICES).keys()]);
    expect(ordered.map((frame) => [frame.meta.index.t, frame.meta.index.z])).toEqual(
      [0, 1].flatMap((t) => Array.from({ length: SLICES }, (_, z) => [t, z])),
    );
    const plannedZ = ordered.slice(0, SLICES).map((frame) => frame.meta.plannedStage?.zUm);
    expect(plannedZ).toEqual([-30, -20, -10, 0, 10, 20, 30]);
    expect(ordered.slice(0, SLICES).map((frame) => frame.meta.stage?.zUm)).toEqual(plannedZ);

    const software = await acquireFrames(service, PLAN, { hardwareSequencing: false });
    expect(software.status.sequencing).toBeUndefined();
    expect(software.frames.every((frame) => frame.meta.tags?.['ImageNumber'] === undefined)).toBe(true);
    const inHardware = contrastBySlice(hardware.frames);
    const inSoftware = contrastBySlice(software.frames);
    // The stage really moved between frames: the stack goes through focus at its middle, as when stepped in software.
    // (The software run, after the first, is lit too: the light the first one turned off at its end came back.)
    expect(Math.max(...inHardware) / Math.min(...inHardware)).toBeGreaterThan(1.1);
    expect(inHardware.indexOf(Math.max(...inHardware))).toBe(3);
    expect(inSoftware.indexOf(Math.max(...inSoftware))).toBe(3);
    expect(correlation(inHardware, inSoftware)).toBeGreaterThan(0.95);

    const contents = await readOmeTiff(hardware.status.datasetPath);
    expect(contents.metadata.images[0].pixels).toMatchObject({ sizeZ: SLICES, sizeT: 2 });
    expect(contents.planes.filter((plane) => !plane.blank)).toHaveLength(2 * SLICES);
    const ours = contents.metadata.mapAnnotations.find((annotation) => annotation.values.hardwareSequencing !== undefined)!.values;
    expect(ours.hardwareSequencing).toMatch(/z-stacks in hardware/);
  }, 60_000);
});

describe('z-stacks with a focus stage that takes no sequences', () => {
  const running = simulatedAppPerSuite('scope-zsoft-', { simulation: { cameraWidthPx: 32, cameraHeightPx: 32 } });

  it('step the stage in software and say why, as do channel changes the presets cannot sequence', async () => {
    const service = running.app.get(AcquisitionService);
    const started = await service.start({ ...PLAN, channels: ['DAPI', 'FITC'] }, { hardwareSequencing: true });
    const status = await service.finished(started.acquisitionId);
    expect(status).toMatchObject({ state: 'finished', framesWritten: 2 * 2 * SLICES });
    expect(status.sequencing).toEqual(
      expect.arrayContaining([
        'z-stacks in software: focus stage Z is not sequenceable (isStageSequenceable is false)',
        expect.stringMatching(/^channel changes in software: preset Channel\/DAPI sets \w+-\w+, which is not sequenceable$/),
      ]),
    );
  }, 60_000);
});
