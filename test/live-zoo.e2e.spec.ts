import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { HardwareService } from '../src/hardware/hardware.service';
import { LiveModelsService } from '../src/models/live/live-models.service';
import { linkedUnetPackage, removeTempDirs, UNET2D_NUCLEI_BROAD } from '../src/models/zoo/testing/zoo-packages';
import { connected, socketFor, waitFor } from './support/gateway-clients';
import { startSimulatedApp, type RunningApp } from './support/start-app';

interface ZooHealth {
  ml: {
    onnx: { provider: string; threads: number } | null;
    loaded: Array<{
      id: string;
      task: string;
      runtime: string;
      input: string;
      frames: number;
      latencyMs: { median: number; p95: number } | null;
    }>;
    live: Array<{
      name: string;
      enabled: boolean;
      model: string;
      runtime: string | null;
      input: string | null;
      error: string | null;
      branch: { offered: number; processed: number; skipped: number } | null;
    }>;
  };
}

const health = async (running: RunningApp) => (await (await fetch(`${running.url}/api/health`)).json()) as ZooHealth;
const zooOf = (body: ZooHealth) => body.ml.live.find((branch) => branch.name === 'zoo')!;

describe('a BioImage Model Zoo model live on acquisitions (models.zoo)', () => {
  let directory: string;
  afterAll(() => removeTempDirs());

  describe('the real unet2d-nuclei-broad package', () => {
    let running: RunningApp;

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'scope-live-zoo-'));
      running = await startSimulatedApp({
        storage: { directory, format: 'ome-tiff' },
        simulation: { cameraWidthPx: 96, cameraHeightPx: 80 },
        models: { zoo: { model: UNET2D_NUCLEI_BROAD, live: true } },
      });
      await running.app.get(HardwareService).whenReady(30_000);
    }, 60_000);

    afterAll(async () => {
      await running?.close();
      await rm(directory, { recursive: true, force: true });
    });

    it('saves the nuclei probability of written frames beside the raw data set, linked to it, and streams it beside raw', async () => {
      const socket = socketFor(running.url);
      const frames: Array<{ stream: string; kind: string; sequence: number; quality?: { name: string; value: number } }> = [];
      socket.on('frame', (message, ack: () => void) => {
        frames.push(message);
        ack();
      });
      try {
        await connected(socket);
        const acquisitions = running.app.get(AcquisitionService);
        const started = await acquisitions.start({ time_plan: { interval: 0.4, loops: 6 }, channels: [{ config: 'DAPI', exposure: 10 }] });
        const raw = acquisitions.dataset(started.acquisitionId);
        expect((await acquisitions.finished(started.acquisitionId)).state).toBe('finished');
        const run = await running.app.get(LiveModelsService).zoo.settled(started.acquisitionId);
        expect(run?.error).toBeUndefined();
        expect(run!.framesPredicted).toBeGreaterThanOrEqual(1);
        expect(run!.framesFlagged).toBe(0);
        expect(run!.path).toMatch(/\.zoo-unet-2d-nuclei-broad\.ome\.tif$/);

        const predicted = await readOmeTiff(run!.path);
        expect(predicted.sampleType).toBe('float32');
        expect(predicted.metadata.derivedFrom).toEqual({ path: raw.path, uuid: raw.datasetUuid });
        const planes = predicted.planes.filter((plane) => !plane.blank);
        expect(planes).toHaveLength(run!.framesPredicted);
        for (const plane of planes) {
          expect(plane.pixels).toHaveLength(96 * 80);
          expect(Array.from(plane.pixels).every((p) => p >= 0 && p <= 1)).toBe(true);
        }
        const index = JSON.parse(await readFile(run!.path.replace(/\.ome\.tif$/, '.json'), 'utf8')) as {
          kind: string;
          raw: { path: string };
          model: { id: string; runtime: string };
          planes: Array<{ rawSequence: number; quality: { confidence: number; latencyMs: number; tiles: number; flagged: boolean } }>;
        };
        expect(index).toMatchObject({ kind: 'zoo-prediction', raw: { path: raw.path }, model: { runtime: 'onnxruntime-node' } });
        expect(index.planes).toHaveLength(run!.framesPredicted);
        for (const plane of index.planes) {
          expect(plane.quality.confidence).toBeGreaterThan(0);
          expect(plane.quality.confidence).toBeLessThanOrEqual(1);
          expect(plane.quality.flagged).toBe(false);
        }
        // raw first, and whole: every raw plane is in the raw data set whatever the model took
        expect((await readOmeTiff(raw.path)).planes.filter((plane) => !plane.blank)).toHaveLength(6);

        const zoo = await waitFor(() => frames.find((f) => f.stream === 'zoo'), 10_000, 'a Zoo frame on the socket');
        expect(zoo).toMatchObject({ kind: 'other', quality: { name: 'confidence' } });
        expect(frames.some((f) => f.stream === 'raw' && f.sequence === zoo.sequence)).toBe(true);
      } finally {
        socket.close();
      }
    }, 90_000);

    it('reports the model in health: runtime, provider, input shape, recent per-frame latency and the branch counters', async () => {
      const body = await health(running);
      expect(body.ml.onnx).toEqual({ provider: 'cpu', threads: expect.any(Number) });
      expect(zooOf(body)).toMatchObject({ enabled: true, runtime: 'onnxruntime-node', error: null });
      expect(zooOf(body).input).toMatch(/^\S+ bcyx 1×1×/);
      expect(zooOf(body).branch!.processed).toBeGreaterThanOrEqual(1);
      const loaded = body.ml.loaded.find((m) => m.task === 'zoo');
      expect(loaded).toMatchObject({ runtime: 'onnxruntime-node', input: zooOf(body).input });
      expect(loaded!.frames).toBeGreaterThanOrEqual(1);
      expect(loaded!.latencyMs!.median).toBeGreaterThan(0);
      expect(loaded!.latencyMs!.p95).toBeGreaterThanOrEqual(loaded!.latencyMs!.median);
    });
  });

  it('refuses a package whose weights are corrupt, says so in health, and acquires without it', async () => {
    const dir = linkedUnetPackage(undefined, [
      'test_input.npy',
      'test_output.npy',
      'test_input.png',
      'test_output.png',
      'cover0.png',
      'README.md',
    ]);
    writeFileSync(join(dir, 'weights.onnx'), readFileSync(join(UNET2D_NUCLEI_BROAD, 'weights.onnx')).subarray(0, 4096));
    const dataDir = await mkdtemp(join(tmpdir(), 'scope-live-zoo-bad-'));
    const running = await startSimulatedApp({
      storage: { directory: dataDir },
      simulation: { cameraWidthPx: 64, cameraHeightPx: 64 },
      models: { zoo: { model: dir, live: true } },
    });
    try {
      await running.app.get(HardwareService).whenReady(30_000);
      const zooHealth = await waitFor(async () => zooOf(await health(running)).error ?? undefined, 20_000, 'the Zoo load error in health');
      expect(zooHealth).toMatch(/weights\.onnx/);
      const acquisitions = running.app.get(AcquisitionService);
      const started = await acquisitions.start({ time_plan: { interval: 0.1, loops: 3 }, channels: [{ config: 'DAPI', exposure: 5 }] });
      expect((await acquisitions.finished(started.acquisitionId)).state).toBe('finished');
      const run = await running.app.get(LiveModelsService).zoo.settled(started.acquisitionId);
      expect(run!.error).toMatch(/weights\.onnx/);
      expect((await readOmeTiff(acquisitions.dataset(started.acquisitionId).path)).planes.filter((plane) => !plane.blank)).toHaveLength(3);
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
