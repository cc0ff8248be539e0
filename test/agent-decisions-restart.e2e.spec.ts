import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { HardwareService } from '../src/hardware/hardware.service';
import { startSimulatedApp, type RunningApp } from './support/start-app';

interface Page {
  total: number;
  decisions: Array<{ acquisitionId: string; reason: string }>;
}

describe("a run's agent decisions after the service restarts (GET api/agent/decisions)", () => {
  let directory: string;
  let running: RunningApp | undefined;
  const start = async () => {
    running = await startSimulatedApp({
      storage: { directory, format: 'ome-tiff' },
      simulation: { cameraWidthPx: 48, cameraHeightPx: 48, serialLightSource: false },
      agent: { enabled: true },
    });
    await running.app.get(HardwareService).whenReady(30_000);
    return running;
  };
  const page = async (query: string) => {
    const response = await fetch(`${running!.url}/api/agent/decisions?${query}`);
    return { status: response.status, body: (await response.json()) as Page & { message?: string } };
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'scope-decisions-restart-'));
  });
  afterAll(async () => {
    await running?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('are paged from the log beside its data set, the same as before the restart; an unknown run is still 404', async () => {
    await start();
    const acquisitions = running!.app.get(AcquisitionService);
    const started = await acquisitions.start({ time_plan: { interval: 0.2, loops: 5 }, channels: [{ config: 'DAPI', exposure: 5 }] });
    const status = await acquisitions.finished(started.acquisitionId);
    expect(status.state).toBe('finished');
    const id = started.acquisitionId;
    // the data set's own metadata names the log of the agent's reasons
    const ours = (await readOmeTiff(status.datasetPath)).metadata.mapAnnotations.find((a) => a.values.datasetUuid !== undefined)!.values;
    expect(ours.agentDecisions).toBe(`${basename(status.datasetPath)}.agent-decisions.jsonl`);
    expect(Number(ours.agentDecisionCount)).toBeGreaterThanOrEqual(1);
    let before = await page(`acquisitionId=${id}`);
    for (let waitedMs = 0; before.body.total < 1 && waitedMs < 5000; waitedMs += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      before = await page(`acquisitionId=${id}`);
    }
    expect(before.body.total).toBeGreaterThanOrEqual(Number(ours.agentDecisionCount));
    await running!.close();
    running = undefined;

    await start();
    const after = await page(`acquisitionId=${id}`);
    expect(after.status).toBe(200);
    expect(after.body.total).toBe(before.body.total);
    expect(after.body.decisions).toEqual(before.body.decisions);
    expect(after.body.decisions.every((decision) => decision.acquisitionId === id)).toBe(true);
    const second = await page(`acquisitionId=${id}&cursor=1&limit=1`);
    expect(second.body.decisions).toEqual(before.body.decisions.slice(1, 2));
    const unknown = await page('acquisitionId=no-such-run');
    expect(unknown.status).toBe(404);
  }, 90_000);
});
