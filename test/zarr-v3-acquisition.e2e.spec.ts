import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AcquisitionStatus } from '../src/acquisition/service/acquisition.service';
import { readOmeZarr } from '../src/acquisition/storage';
import { readWithZarrita } from '../src/acquisition/storage/test-support/zarrita';
import { simulatedAppPerSuite } from './support/start-app';

async function untilOver(url: string, id: string): Promise<AcquisitionStatus> {
  for (;;) {
    const status = (await (await fetch(`${url}/api/acquisitions/${id}`)).json()) as AcquisitionStatus;
    if (['finished', 'cancelled', 'failed'].includes(status.state)) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an acquisition written as NGFF 0.5 on zarr v3 shards (storage.zarr.version 3)', () => {
  // 64×48 uint16 planes are 6 KiB: a 0.03 MiB shard target holds 5 of them, so a 3-slice stack gives one time point per shard
  const running = simulatedAppPerSuite('scope-zarr-v3-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48 },
    storage: { format: 'ome-zarr', zarr: { version: 3, shardTargetMiB: 0.03 } },
  });

  it('writes the run in shards that zarrita reads with the plan shape and the acquisition id', async () => {
    const plan = { time_plan: { interval: 0, loops: 4 }, z_plan: { range: 2, step: 1 } };
    const started = await fetch(`${running.url}/api/acquisitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(plan),
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const status = await untilOver(running.url, id);
    expect(status.state).toBe('finished');
    expect(status.datasetPath).toMatch(/\.ome\.zarr$/);

    expect((await readdir(join(status.datasetPath, '0', 'c'))).sort()).toEqual(['0', '1', '2', '3']);
    const zarrita = readWithZarrita(status.datasetPath);
    expect(zarrita).toMatchObject({ version: '0.5', shape: [4, 1, 3, 48, 64], dtype: 'uint16' });
    expect(zarrita.scope).toMatchObject({ state: 'complete', planesWritten: 12, acquisitionId: id });
    const ours = (await readOmeZarr(status.datasetPath)).images[0];
    expect(ours.zarrFormat).toBe(3);
    const plane = await ours.readPlane(3, 0, 2);
    expect(plane.some((value) => value > 0)).toBe(true);
    expect(Object.keys(zarrita.planeMd5)).toHaveLength(12);
  }, 60_000);
});
