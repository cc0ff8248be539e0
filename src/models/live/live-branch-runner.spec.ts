import { Subject } from 'rxjs';
import { boundedBranch } from '../../acquisition/backpressure/bounded-branch';
import type { Frame, FrameMetadata } from '../../acquisition/frame';
import type { LifecycleEvent } from '../../acquisition/runner/lifecycle';
import type { RawDataset } from '../../acquisition/service/acquisition.service';
import type { LiveBranch } from './live-branch';
import { LiveBranchRunner } from './live-branch-runner';
import { LoadedModels } from './loaded-models';
import type { AcquisitionSource } from './per-acquisition';

class SaturatedFrameError extends Error {
  override readonly name = 'SaturatedFrameError';
}

/** Acquisitions as the runner sees them: their lifecycle and their written frames, driven by the test. */
function acquisitionsByHand() {
  const lifecycle$ = new Subject<LifecycleEvent>();
  const frames$ = new Subject<Frame>();
  const event = (type: 'started' | 'finished', acquisitionId: string) => ({ type, progress: { acquisitionId } }) as LifecycleEvent;
  const source: AcquisitionSource = { lifecycle$, frames$, dataset: (acquisitionId) => ({ acquisitionId, path: `/data/${acquisitionId}.ome.tif` }) as RawDataset };
  return {
    source,
    start: (id: string) => lifecycle$.next(event('started', id)),
    finish: (id: string) => lifecycle$.next(event('finished', id)),
    frame: (id: string, sequence: number) => frames$.next({ pixels: new Uint16Array(4), meta: { acquisitionId: id, sequence, width: 2, height: 2 } as FrameMetadata }),
  };
}

/** A model that doubles the frame's sequence number and fails on odd ones; it takes drop-oldest frames so none is skipped. */
const doublingBranch: LiveBranch<number, { readonly outputs: number }> = {
  name: 'zoo',
  enabled: true,
  configuredModel: 'doubler',
  start: async () => ({ id: 'doubler', runtime: 'this thread', input: 'a frame', latencyOf: 'nothing' }),
  open: async (raw, report) => ({
    path: `${raw.path}.doubled`,
    process: boundedBranch<Frame, number>(
      { kind: 'drop-oldest', capacity: 100 },
      async (frame) => {
        if (frame.meta.sequence % 2 === 1) throw new SaturatedFrameError(`raw frame ${frame.meta.sequence} is saturated`);
        return frame.meta.sequence * 2;
      },
      report,
    ),
  }),
  initialFigures: { outputs: 0 },
  addFigures: (figures) => ({ outputs: figures.outputs + 1 }),
  latencyMs: () => 1,
  close: async () => undefined,
};

describe('LiveBranchRunner', () => {
  it('counts the frames its model fails on and reports the latest message in the status health serves', async () => {
    const acquisitions = acquisitionsByHand();
    const runner = new LiveBranchRunner(doublingBranch, acquisitions.source, new LoadedModels());
    const outputs: number[] = [];
    runner.output$.subscribe((out) => outputs.push(out));
    runner.start();
    acquisitions.start('a1');
    await new Promise((resolve) => setImmediate(resolve));
    for (const sequence of [0, 1, 2, 3]) acquisitions.frame('a1', sequence);
    acquisitions.finish('a1');

    const run = await runner.settled('a1');
    expect(run).toEqual({ acquisitionId: 'a1', path: '/data/a1.ome.tif.doubled', outputs: 2 });
    expect(outputs).toEqual([0, 4]);
    expect(runner.status()).toMatchObject({
      name: 'zoo',
      enabled: true,
      model: 'doubler',
      runtime: 'this thread',
      error: null,
      frames: 2,
      errors: 2,
      lastError: 'raw frame 3 is saturated',
      branch: { processed: 2, failed: 2 },
      latencyMs: { last: 1, samples: 2 },
    });
    await runner.close();
  });
});
