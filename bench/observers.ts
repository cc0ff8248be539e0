/**
 * `npm run bench -- observers [--frames 600] [--size 1024] [--camera-ms 5] [--rounds 3]`: what a hook costs the
 * acquisition. A camera that takes `camera-ms` per frame feeds the real OME-TIFF writer through the runner with
 * no hook, with an awaited `afterEvent` hook that does nothing (how the agent was attached before), and with an
 * `observeEvent` observer that does nothing (how it is now). One JSON line per case: frames/s, min and median over
 * alternating rounds; ratio = median frames/s against no hook (≥ 1: the hook costs nothing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { AcquisitionEngine, EngineImage } from '../src/acquisition/engine/engine';
import type { MDAEvent } from '../src/acquisition/plans';
import { AcquisitionRun, type EventHooks } from '../src/acquisition/runner/runner';
import { openOmeTiffWriter } from '../src/acquisition/storage';
import { scriptOptions } from '../src/cli/run-script';

const OPTIONS = z.object({
  frames: z.coerce.number().int().min(10).default(600),
  size: z.coerce.number().int().min(16).default(1024),
  'camera-ms': z.coerce.number().min(0).default(5),
  rounds: z.coerce.number().int().min(1).default(3),
});
const args = scriptOptions('bench observers', process.argv.slice(2), OPTIONS, 'npm run bench -- observers [--frames 600]').options;

/** A camera: each frame is ready `cameraMs` after it was asked for (the event loop stays free meanwhile). */
class TimedCamera implements AcquisitionEngine<MDAEvent> {
  private readonly pixels = new Uint16Array(args.size * args.size).fill(100);
  async setupSequence(): Promise<void> {}
  async setupEvent(): Promise<void> {}
  async teardownEvent(): Promise<void> {}
  async teardownSequence(): Promise<void> {}
  async *execEvent(event: MDAEvent): AsyncIterable<EngineImage> {
    const readyAt = performance.now() + args['camera-ms'];
    while (performance.now() < readyAt) await new Promise((resolve) => setImmediate(resolve));
    const meta = {
      index: event.index,
      width: args.size,
      height: args.size,
      bitDepth: 16,
      pixelSizeUm: 1,
      exposureMs: 1,
      stage: {},
      camera: 'timed',
    };
    yield { pixels: this.pixels, meta };
  }
}

const event = (t: number): MDAEvent => ({
  index: { t },
  keepShutterOpen: false,
  resetEventTimer: false,
  action: { type: 'acquire_image' },
});

async function framesPerSecond(hooks: EventHooks<MDAEvent>[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-observers-'));
  try {
    const sink = await openOmeTiffWriter(join(dir, 'run.ome.tif'), {
      sizes: { t: args.frames, c: 1, z: 1 },
      dtype: 'uint16',
      widthPx: args.size,
      heightPx: args.size,
      pixelSizeUm: 1,
    });
    const run = new AcquisitionRun<MDAEvent>({
      events: Array.from({ length: args.frames }, (_, t) => event(t)),
      engine: new TimedCamera(),
      sink,
      hooks,
    });
    const startedMs = performance.now();
    const end = await run.start();
    if (end.state !== 'finished' || end.framesWritten !== args.frames)
      throw new Error(`run ended ${end.state}, ${end.framesWritten} written`);
    return args.frames / ((performance.now() - startedMs) / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases: Record<string, EventHooks<MDAEvent>[]> = {
  'no-hook': [],
  'awaited-afterEvent': [{ afterEvent: () => undefined }],
  observeEvent: [{ observeEvent: () => undefined }],
};

void (async () => {
  const results = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < args.rounds; round++)
    for (const [name, hooks] of Object.entries(cases)) results.get(name)!.push(await framesPerSecond(hooks));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const baseline = median(results.get('no-hook')!);
  for (const [name, values] of results) {
    const fpsMedian = median(values);
    process.stdout.write(
      `${JSON.stringify({ bench: 'observers', case: name, frames: args.frames, sizePx: args.size, cameraMs: args['camera-ms'], fpsMin: Math.round(Math.min(...values)), fpsMedian: Math.round(fpsMedian), ratio: Number((fpsMedian / baseline).toFixed(3)) })}\n`,
    );
  }
})();
