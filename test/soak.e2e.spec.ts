import { runSoak } from './long/soak';
import { soakFailures } from './long/soak-main';

// The short form; `npm run soak` takes 100,000 frames through the same faults.
const FRAMES = Number(process.env.SOAK_FRAMES ?? 3000);

describe(`a ${FRAMES}-frame acquisition through faults: Micro-Manager killed twice, the light source's pty closed`, () => {
  it('loses no acquired frame, ends a broken run saying why, resumes, and never brings the light back brighter', async () => {
    const report = await runSoak({ frames: FRAMES, deadlineMs: 240_000 });
    expect(soakFailures(report)).toEqual([]);
    expect(report.faults.map((f) => f.fault)).toEqual(['kill Micro-Manager', 'close the light source pty', 'kill Micro-Manager']);
    const broken = report.segments.filter((s) => s.state !== 'finished');
    expect(broken.length).toBeGreaterThanOrEqual(2);
    for (const segment of broken) expect(segment.error).toMatch(/Micro-Manager at tcp:\/\/127\.0\.0\.1:\d+ is not reachable/);
    expect(report.segments.at(-1)?.state).toBe('finished');
    expect(report).toMatchObject({
      framesAcquired: FRAMES,
      framesWritten: FRAMES,
      framesReadable: FRAMES,
      framesLost: 0,
      lightCommandsBeyondLimit: 0,
    });
  }, 300_000);
});
