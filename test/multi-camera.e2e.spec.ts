import { join } from 'node:path';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { acquireFrames, correlation } from './support/acquire-frames';
import { simulatedAppPerSuite } from './support/start-app';

const PLAN = {
  time_plan: { interval: 0, loops: 3 },
  channels: [
    { config: 'DAPI', exposure: 2 },
    { config: 'FITC', exposure: 2 },
  ],
  axis_order: 'ct',
};
const CAMERAS = ['Camera-1', 'Camera-2'];

describe("two cameras behind Micro-Manager's Multi Camera device", () => {
  const running = simulatedAppPerSuite('scope-multicam-', {
    simulation: {
      cameraWidthPx: 64,
      cameraHeightPx: 64,
      microManagerConfig: join(__dirname, '../simulators/micro-manager/config/demo-multi-camera.cfg'),
    },
  });

  for (const hardwareSequencing of [false, true]) {
    it(`gives one frame per camera per event, named, written as channels of one data set (${hardwareSequencing ? 'camera sequence' : 'snaps'})`, async () => {
      const { status, frames } = await acquireFrames(running.app.get(AcquisitionService), PLAN, { hardwareSequencing });
      expect(status).toMatchObject({ state: 'finished', framesPlanned: 12, framesWritten: 12, framesDropped: 0 });
      // Preset-major (axis order c, t), each preset's cameras side by side: data set channel = preset × 2 + camera.
      const seen = frames.map((frame) => [frame.meta.channel?.config, frame.meta.camera, frame.meta.index.c, frame.meta.index.t]);
      const expected = ['DAPI', 'FITC'].flatMap((config, c) =>
        [0, 1, 2].flatMap((t) => CAMERAS.map((camera, k) => [config, camera, c * 2 + k, t])),
      );
      if (hardwareSequencing) {
        // A camera sequence interleaves the cameras as they deliver: compare as sets, and per camera in order.
        expect(new Set(seen.map((s) => JSON.stringify(s)))).toEqual(new Set(expected.map((s) => JSON.stringify(s))));
        for (const camera of CAMERAS) {
          const own = frames.filter((frame) => frame.meta.camera === camera);
          expect(own.map((frame) => frame.meta.tags?.['Camera'])).toEqual(own.map(() => camera));
          expect(own.map((frame) => Number(frame.meta.tags?.['ImageNumber']))).toEqual([0, 1, 2, 0, 1, 2]);
        }
      } else {
        expect(seen).toEqual(expected);
      }
      // Both cameras see the same field through their own noise: alike, not identical.
      const [first, second] = CAMERAS.map((camera) => frames.find((f) => f.meta.camera === camera && f.meta.index.t === 0)!);
      expect(Array.from(first.pixels as ArrayLike<number>)).not.toEqual(Array.from(second.pixels as ArrayLike<number>));
      expect(correlation(first.pixels as ArrayLike<number>, second.pixels as ArrayLike<number>)).toBeGreaterThan(0.5);

      const contents = await readOmeTiff(status.datasetPath);
      const image = contents.metadata.images[0];
      expect(image.pixels).toMatchObject({ sizeC: 4, sizeT: 3 });
      expect(image.pixels.channels.map((channel) => channel.name)).toEqual([
        'DAPI · Camera-1',
        'DAPI · Camera-2',
        'FITC · Camera-1',
        'FITC · Camera-2',
      ]);
      expect(contents.planes.filter((plane) => !plane.blank)).toHaveLength(12);
      const plane = contents.planes.find((p) => p.c === 3 && p.t === 1)!;
      const frame = frames.find((f) => f.meta.index.c === 3 && f.meta.index.t === 1)!;
      expect(Array.from(plane.pixels as ArrayLike<number>)).toEqual(Array.from(frame.pixels as ArrayLike<number>));
    }, 60_000);
  }
});
