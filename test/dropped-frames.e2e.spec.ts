import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame } from '../src/acquisition/frame';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { simulatedAppPerSuite } from './support/start-app';

const BURST = { time_plan: { interval: 0, loops: 12 }, channels: [{ config: 'FITC', exposure: 2 }] };
const LOST = [3, 7];

describe('a camera that loses frames of a hardware sequence (simulation.droppedFrames)', () => {
  const running = simulatedAppPerSuite('scope-dropped-', {
    simulation: { cameraWidthPx: 32, cameraHeightPx: 32, droppedFrames: LOST },
  });

  it('is detected from its frame numbers, the run goes on, the planes stay blank and the OME-TIFF lists them', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start(BURST, { hardwareSequencing: true });
    const frames: Frame[] = [];
    const lost: number[] = [];
    const subscriptions = [
      acquisitions.frames$.subscribe((frame) => frame.meta.acquisitionId === started.acquisitionId && frames.push(frame)),
      acquisitions.lifecycle$.subscribe((event) => {
        if (event.type === 'dropped' && event.progress.acquisitionId === started.acquisitionId)
          lost.push(...event.dropped.map((d) => d.index.t));
      }),
    ];
    const status = await acquisitions.finished(started.acquisitionId);
    expect(status).toMatchObject({ state: 'finished', framesAcquired: 10, framesWritten: 10, framesDropped: 2 });
    expect(status.lastDropped).toMatchObject({ index: { t: 7 }, cameraImageNumber: 7 });
    expect(status.lastDropped?.reason).toMatch(/camera frame numbers jumped from 6 to 8/);
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    expect(frames.map((frame) => frame.meta.index.t)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10, 11]);
    expect(lost).toEqual(LOST);

    const contents = await readOmeTiff(status.datasetPath);
    expect(contents.metadata.images[0].pixels.sizeT).toBe(12);
    const blankTimes = contents.planes.filter((plane) => plane.blank).map((plane) => plane.t);
    expect(blankTimes).toEqual(LOST);
    const ours = contents.metadata.mapAnnotations.find((annotation) => annotation.values.framesDropped !== undefined)!.values;
    expect(ours.framesDropped).toBe('2');
    expect((JSON.parse(ours.droppedFrames) as Array<{ index: { t: number } }>).map((frame) => frame.index.t)).toEqual(LOST);
  }, 30_000);

  it('lists them in the OME-Zarr image attributes too', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start(BURST, { hardwareSequencing: true, format: 'ome-zarr' });
    const status = await acquisitions.finished(started.acquisitionId);
    expect(status).toMatchObject({ state: 'finished', framesWritten: 10, framesDropped: 2 });
    const attributes = JSON.parse(await readFile(join(status.datasetPath, '.zattrs'), 'utf8')) as {
      scope: { framesDropped: number; droppedFrames: Array<{ index: { t: number } }> };
    };
    expect(attributes.scope.framesDropped).toBe(2);
    expect(attributes.scope.droppedFrames.map((frame) => frame.index.t)).toEqual(LOST);
  }, 30_000);

  it('does not touch single snaps: a software-timed plan loses nothing', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start({ time_plan: { interval: 0, loops: 5 }, channels: [{ config: 'FITC', exposure: 2 }] });
    expect(await acquisitions.finished(started.acquisitionId)).toMatchObject({ state: 'finished', framesWritten: 5, framesDropped: 0 });
  }, 30_000);
});

describe('a camera whose circular buffer overflows mid-sequence (simulation.overflowAtFrame)', () => {
  const running = simulatedAppPerSuite('scope-overflow-', {
    simulation: { cameraWidthPx: 32, cameraHeightPx: 32, overflowAtFrame: 5 },
  });

  it('fails the run with an error naming the overflow, keeps the frames before it in a readable data set, and leaves snaps working', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start(BURST, { hardwareSequencing: true });
    const status = await acquisitions.finished(started.acquisitionId);
    expect(status).toMatchObject({ state: 'failed', framesWritten: 5, framesDropped: 0 });
    expect(status.error).toMatch(/circular buffer overflowed after 5 of 12 frames and the camera stopped/);
    const contents = await readOmeTiff(status.datasetPath);
    expect(contents.planes.filter((plane) => !plane.blank).map((plane) => plane.t)).toEqual([0, 1, 2, 3, 4]);
    const ours = contents.metadata.mapAnnotations.find((annotation) => annotation.values.state !== undefined)!.values;
    expect(ours.state).toBe('failed');
    expect(ours.stateReason).toMatch(/circular buffer overflowed/);
    const snaps = await acquisitions.start({ time_plan: { interval: 0, loops: 3 }, channels: [{ config: 'FITC', exposure: 2 }] });
    expect(await acquisitions.finished(snaps.acquisitionId)).toMatchObject({ state: 'finished', framesWritten: 3 });
  }, 30_000);
});
