import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AcquisitionEngine, EngineImage } from '../engine/engine';
import type { Frame } from '../frame';
import type { MDAEvent } from '../plans';
import { openOmeTiffWriter, readOmeTiff } from '../storage';
import { AcquisitionRun } from './runner';
import type { FrameSink } from './raw-first-publisher';

const SIZE = 16;

class CountingEngine implements AcquisitionEngine<MDAEvent> {
  async setupSequence(): Promise<void> {}
  async setupEvent(): Promise<void> {}
  async teardownEvent(): Promise<void> {}
  async teardownSequence(): Promise<void> {}
  async *execEvent(event: MDAEvent): AsyncIterable<EngineImage> {
    for (let b = 0; b < (event.burstCount ?? 1); b++) {
      const t = (event.index.t ?? 0) + b;
      yield {
        pixels: new Uint16Array(SIZE * SIZE).fill(t + 1),
        meta: {
          index: { ...event.index, t },
          width: SIZE,
          height: SIZE,
          bitDepth: 16,
          pixelSizeUm: 1,
          exposureMs: 1,
          stage: {},
          camera: 'Counting',
        },
      };
    }
  }
}

const event = (t: number, burstCount?: number): MDAEvent => ({
  index: { t },
  keepShutterOpen: false,
  resetEventTimer: false,
  action: { type: 'acquire_image' },
  burstCount,
});

/** A real OME-TIFF writer made slow: each frame takes `delayMs` before it reaches the file. */
function slowWriter(sink: FrameSink, delayMs: number, failAt?: number) {
  const written: number[] = [];
  return {
    written,
    sink: {
      async write(frame: Frame) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (frame.meta.sequence === failAt) throw new Error(`disk gone at frame ${failAt}`);
        await sink.write(frame);
        written.push(frame.meta.sequence);
      },
      close: () => sink.close(),
    } satisfies FrameSink,
  };
}

describe('raw first: hooks and subscribers see a frame only once the writer has it', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'raw-first-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (frames: number) =>
    openOmeTiffWriter(join(dir, 'run.ome.tif'), {
      sizes: { t: frames, c: 1, z: 1 },
      dtype: 'uint16',
      widthPx: SIZE,
      heightPx: SIZE,
      pixelSizeUm: 1,
    });

  it('orders every afterEvent and frames$ delivery after the write, for snaps and a burst', async () => {
    const slow = slowWriter(await open(12), 15);
    const violations: string[] = [];
    const seenByHook: number[] = [];
    const run = new AcquisitionRun<MDAEvent>({
      events: [event(0), event(1), event(2, 8), event(10), event(11)],
      engine: new CountingEngine(),
      sink: slow.sink,
      hooks: [
        {
          afterEvent: (_, frames) => {
            for (const frame of frames) {
              seenByHook.push(frame.meta.sequence);
              if (!slow.written.includes(frame.meta.sequence))
                violations.push(`hook saw frame ${frame.meta.sequence} before it was written`);
            }
          },
        },
      ],
    });
    run.frames$.subscribe((frame) => {
      if (!slow.written.includes(frame.meta.sequence))
        violations.push(`frames$ carried frame ${frame.meta.sequence} before it was written`);
    });
    const end = await run.start();
    expect(violations).toEqual([]);
    expect(seenByHook).toEqual([...Array(12).keys()]);
    expect(end).toMatchObject({ state: 'finished', framesAcquired: 12, framesWritten: 12 });
    const file = await readOmeTiff(join(dir, 'run.ome.tif'));
    expect(file.planes).toHaveLength(12);
  });

  it('never shows a frame the writer failed to take, and the run fails naming why', async () => {
    const slow = slowWriter(await open(6), 5, 3);
    const seen: number[] = [];
    const run = new AcquisitionRun<MDAEvent>({
      events: [event(0), event(1), event(2, 4)],
      engine: new CountingEngine(),
      sink: slow.sink,
      hooks: [{ afterEvent: (_, frames) => void seen.push(...frames.map((f) => f.meta.sequence)) }],
    });
    run.frames$.subscribe((frame) => seen.push(frame.meta.sequence + 1000));
    const end = await run.start();
    expect(end.state).toBe('failed');
    expect(end.error).toContain('disk gone at frame 3');
    expect(seen.filter((s) => s >= 1000).map((s) => s - 1000)).toEqual([0, 1, 2]);
    expect(seen.filter((s) => s < 1000).every((s) => s < 3)).toBe(true);
  });

  it('never waits for an observer: a stuck one sees every written frame later, in event order, and a throwing one is only told', async () => {
    const slow = slowWriter(await open(12), 2);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const observed: number[][] = [];
    const errors: string[] = [];
    const run = new AcquisitionRun<MDAEvent>({
      events: [event(0), event(1), event(2, 8), event(10), event(11)],
      engine: new CountingEngine(),
      sink: slow.sink,
      onObserverError: (error) => errors.push(error.message),
      hooks: [
        {
          observeEvent: async (_, frames) => {
            observed.push(frames.map((frame) => frame.meta.sequence));
            if (frames.some((frame) => !slow.written.includes(frame.meta.sequence))) errors.push('observed before written');
            await gate;
          },
        },
        {
          observeEvent: () => {
            throw new Error('model crashed');
          },
        },
      ],
    });
    const end = await run.start();
    // The run is over while the first observer is still stuck on the first event.
    expect(end).toMatchObject({ state: 'finished', framesWritten: 12 });
    expect(observed).toEqual([[0]]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(observed).toEqual([[0], [1], [2, 3, 4, 5, 6, 7, 8, 9], [10], [11]]);
    expect(errors).toEqual(Array(5).fill('observer failed: model crashed'));
  });

  it('lets an observer that falls far behind miss events rather than hold frames without bound', async () => {
    const slow = slowWriter(await open(70), 0);
    const errors: string[] = [];
    let seen = 0;
    const run = new AcquisitionRun<MDAEvent>({
      events: Array.from({ length: 70 }, (_, t) => event(t)),
      engine: new CountingEngine(),
      sink: slow.sink,
      onObserverError: (error) => errors.push(error.message),
      hooks: [{ observeEvent: () => new Promise<void>(() => void seen++) }],
    });
    expect(await run.start()).toMatchObject({ state: 'finished', framesWritten: 70 });
    expect(run.observerEventsSkipped).toBe(6);
    expect(errors).toEqual(['observers are 64 events behind: they miss events until they catch up']);
    expect(seen).toBe(1);
  });
});
