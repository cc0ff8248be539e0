import { TrainingPause, waitWhilePaused } from './training-pause';

const settledWithin = async (promise: Promise<void>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('TrainingPause', () => {
  it('lets a step go at once while clear, holds it while set, and lets it go when cleared', async () => {
    const pause = new TrainingPause();
    const wait = waitWhilePaused(pause.buffer);
    expect(await settledWithin(wait(), 50)).toBe(true);
    pause.set(true);
    expect(pause.paused).toBe(true);
    const held = wait();
    expect(await settledWithin(held, 200)).toBe(false);
    pause.set(false);
    expect(await settledWithin(held, 200)).toBe(true);
  });

  it('lets a held step go when the training is cancelled', async () => {
    const pause = new TrainingPause();
    const controller = new AbortController();
    pause.set(true);
    const held = waitWhilePaused(pause.buffer, controller.signal)();
    expect(await settledWithin(held, 100)).toBe(false);
    controller.abort();
    expect(await settledWithin(held, 200)).toBe(true);
  });
});
