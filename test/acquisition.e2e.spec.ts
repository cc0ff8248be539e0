import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { BoundedBranch } from '../src/acquisition/backpressure/bounded-branch';
import { AcquisitionService, type AcquisitionStatus } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff, readOmeZarr } from '../src/acquisition/storage';
import type { MDAEvent } from '../src/acquisition/plans';
import type { Frame } from '../src/acquisition/frame';
import { HardwareService } from '../src/hardware/hardware.service';
import { simulatedAppPerSuite } from './support/start-app';

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function untilOver(url: string, id: string): Promise<AcquisitionStatus> {
  for (;;) {
    const response = await fetch(`${url}/api/acquisitions/${id}`);
    if (!response.ok) throw new Error(`status of acquisition ${id}: HTTP ${response.status}`);
    const status = (await response.json()) as AcquisitionStatus;
    if (['finished', 'cancelled', 'failed'].includes(status.state)) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether this machine lets a test mount a tmpfs (root in a container with the capability): tried once, undone. */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'scope-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const TMPFS_MOUNTABLE = canMountTmpfs();
if (!TMPFS_MOUNTABLE)
  console.warn(
    'the full-disk acquisition test is SKIPPED: mounting a tmpfs is not permitted here (the storage suite injects ENOSPC instead)',
  );

describe('acquisitions over REST on the simulated microscope', () => {
  const running = simulatedAppPerSuite('scope-acq-', { simulation: { cameraWidthPx: 64, cameraHeightPx: 48 } });

  it('answers 400 naming the field for an invalid plan, and starts nothing', async () => {
    const reply = await post(`${running.url}/api/acquisitions`, { z_plan: { range: 4, step: -1 } });
    expect(reply.status).toBe(400);
    expect(String(reply.body.message)).toMatch(/z_plan/);
    const bad = await post(`${running.url}/api/acquisitions?format=tiff`, {});
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/format/);
    const list = (await (await fetch(`${running.url}/api/acquisitions`)).json()) as unknown[];
    expect(list).toHaveLength(0);
  });

  it("runs a time × channel × z plan into an OME-TIFF with the plan's shape and per-plane metadata", async () => {
    const plan = {
      metadata: { name: 'tcz test' },
      axis_order: 'tcz',
      time_plan: { interval: 0, loops: 2 },
      channels: [
        { config: 'DAPI', exposure: 5 },
        { config: 'FITC', exposure: 8 },
      ],
      z_plan: { range: 2, step: 1 },
    };
    const started = await post(`${running.url}/api/acquisitions`, plan);
    expect(started.status).toBe(201);
    expect(started.body.framesPlanned).toBe(12);
    const status = await untilOver(running.url, String(started.body.id));
    expect(status).toMatchObject({ state: 'finished', framesAcquired: 12, framesWritten: 12 });
    expect(status.datasetPath).toMatch(/tcz_test_[0-9a-f]{8}\.ome\.tif$/);

    const contents = await readOmeTiff(status.datasetPath);
    const pixels = contents.metadata.images[0].pixels;
    expect({ t: pixels.sizeT, c: pixels.sizeC, z: pixels.sizeZ, x: pixels.sizeX, y: pixels.sizeY }).toEqual({
      t: 2,
      c: 2,
      z: 3,
      x: 64,
      y: 48,
    });
    expect(pixels.channels.map((channel) => channel.name)).toEqual(['DAPI', 'FITC']);
    const exposures = contents.planes.map((plane) => [plane.c, plane.record?.meta?.exposureMs]);
    expect(new Set(exposures.map(([c, ms]) => `${c}:${ms}`))).toEqual(new Set(['0:5', '1:8']));
    const zs = contents.planes.filter((plane) => plane.t === 0 && plane.c === 0).map((plane) => plane.record?.meta?.stage.zUm);
    expect(zs[2]! - zs[0]!).toBeCloseTo(2, 6);
    expect(contents.planes.every((plane) => plane.pixels.some((value) => value > 0))).toBe(true);
  }, 60_000);

  it('writes OME-Zarr when asked', async () => {
    const started = await post(`${running.url}/api/acquisitions?format=ome-zarr`, { time_plan: { interval: 0, loops: 3 } });
    expect(started.status).toBe(201);
    const status = await untilOver(running.url, String(started.body.id));
    expect(status.state).toBe('finished');
    expect(status.datasetPath).toMatch(/\.ome\.zarr$/);
    const store = await readOmeZarr(status.datasetPath);
    expect(store.images[0].shape).toEqual([3, 1, 1, 48, 64]);
  }, 30_000);

  it('cancel in the middle of a z-stack leaves the shutter closed and the light off, and the frames so far readable', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const hardware = running.app.get(HardwareService);
    const light = hardware.light()!;
    expect(light).toBeDefined();
    const removeHook = acquisitions.addHook({ beforeEvent: (event: MDAEvent) => ({ ...event, illuminationPercent: 20 }) as MDAEvent });
    let afterCancel = () => undefined as void;
    try {
      const started = await post(`${running.url}/api/acquisitions`, {
        z_plan: { range: 40, step: 1 },
        channels: [{ config: 'DAPI', exposure: 30 }],
      });
      const id = String(started.body.id);
      const run = acquisitions.get(id);
      afterCancel = () => run.cancel();
      await firstValueFrom(run.lifecycle$.pipe(filter((event) => event.progress.framesWritten >= 3)));
      expect((await light.getChannels()).some((channel) => channel.on && channel.powerPercent > 0)).toBe(true);
      const cancelled = await post(`${running.url}/api/acquisitions/${id}/cancel`, {});
      expect(cancelled.status).toBe(200);
      const status = await untilOver(running.url, id);
      expect(status.state).toBe('cancelled');
      expect(status.framesWritten).toBeGreaterThanOrEqual(3);
      expect(status.framesWritten).toBeLessThan(41);
      const core = hardware.requireCore();
      expect(await core.getShutterOpen()).toBe(false);
      expect((await light.getChannels()).every((channel) => !channel.on || channel.powerPercent === 0)).toBe(true);
      const contents = await readOmeTiff(status.datasetPath);
      const written = contents.planes.filter((plane) => !plane.blank);
      expect(written).toHaveLength(status.framesWritten);
      expect(written.every((plane) => plane.record?.meta?.illumination?.powerPercent === 20)).toBe(true);
    } finally {
      removeHook();
      afterCancel();
    }
  }, 60_000);

  it('a hook changes, skips and inserts future events', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const seen: Frame[] = [];
    const subscription = acquisitions.frames$.subscribe((frame) => seen.push(frame));
    let inserted = false;
    const removeHook = acquisitions.addHook({
      beforeEvent: (event: MDAEvent, queue) => {
        const t = event.index.t ?? 0;
        if (t === 1) return null;
        if (t === 2 && !inserted) {
          inserted = true;
          queue.insertNext([{ ...event, index: { ...event.index, t: 5 }, exposureMs: 3 }]);
          queue.transformUpcoming((next) => ({ ...next, exposureMs: 7 }));
        }
        return event;
      },
    });
    try {
      const started = await post(`${running.url}/api/acquisitions`, {
        time_plan: { interval: 0, loops: 4 },
        channels: [{ config: 'DAPI', exposure: 5 }],
      });
      expect(started.status).toBe(201);
      const status = await untilOver(running.url, String(started.body.id));
      expect(status.state).toBe('finished');
      const mine = seen.filter((frame) => frame.meta.acquisitionId === started.body.id);
      expect(mine.map((frame) => [frame.meta.index.t, frame.meta.exposureMs])).toEqual([
        [0, 5],
        [2, 5],
        [5, 7],
        [3, 7],
      ]);
    } finally {
      removeHook();
      subscription.unsubscribe();
    }
  }, 30_000);

  it('pause holds the plan and resume continues it; a second start while running is refused with 409', async () => {
    const started = await post(`${running.url}/api/acquisitions`, { time_plan: { interval: 0.2, loops: 6 } });
    const id = String(started.body.id);
    expect((await post(`${running.url}/api/acquisitions`, {})).status).toBe(409);
    const paused = await post(`${running.url}/api/acquisitions/${id}/pause`, {});
    expect(paused.body.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 600));
    const during = (await (await fetch(`${running.url}/api/acquisitions/${id}`)).json()) as AcquisitionStatus;
    expect(during.framesAcquired).toBeLessThanOrEqual(2);
    await post(`${running.url}/api/acquisitions/${id}/resume`, {});
    const status = await untilOver(running.url, id);
    expect(status).toMatchObject({ state: 'finished', framesWritten: 6 });
    expect((await fetch(`${running.url}/api/acquisitions/nope`)).status).toBe(404);
  }, 30_000);

  it('keeps to a time plan: no frame starts early, and the mean lateness stays within a few ms', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const times: number[] = [];
    let startedMs = 0;
    const frames = acquisitions.frames$.subscribe((frame) => times.push(frame.meta.eventStartWallTimeMs ?? Number.NaN));
    const lifecycle = acquisitions.lifecycle$.subscribe((event) => event.type === 'started' && (startedMs = Date.now()));
    try {
      const started = await post(`${running.url}/api/acquisitions`, {
        time_plan: { interval: 0.1, loops: 10 },
        channels: [{ config: 'DAPI', exposure: 2 }],
      });
      const status = await untilOver(running.url, String(started.body.id));
      expect(status.state).toBe('finished');
    } finally {
      frames.unsubscribe();
      lifecycle.unsubscribe();
    }
    expect(times).toHaveLength(10);
    // each event begins at its planned time on the plan's clock (started after the hardware setup), never before
    const latenessMs = times.map((time, k) => time - startedMs - 100 * k);
    expect(Math.min(...latenessMs)).toBeGreaterThanOrEqual(-1);
    expect(latenessMs.reduce((sum, e) => sum + e, 0) / latenessMs.length).toBeLessThan(10);
  }, 30_000);

  it('a stalled consumer does not hold the acquisition back: it skips frames and counts them', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    let release = () => undefined as void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const branch = new BoundedBranch<Frame, number>(
      { kind: 'drop-oldest', capacity: 2 },
      async (frame) => (await stalled, frame.meta.sequence),
      () => undefined,
      () => undefined,
    );
    const subscription = acquisitions.frames$.subscribe((frame) => branch.offer(frame));
    try {
      const started = await post(`${running.url}/api/acquisitions`, { time_plan: { interval: 0, loops: 25 } });
      const status = await untilOver(running.url, String(started.body.id));
      expect(status).toMatchObject({ state: 'finished', framesWritten: 25 });
      expect(branch.stats()).toMatchObject({ offered: 25, processed: 0, skipped: 22, queued: 2 });
    } finally {
      release();
      subscription.unsubscribe();
    }
  }, 30_000);

  // Skipped, and saying why in its name, where this machine does not let a test mount a tmpfs.
  const fullDiskTest = TMPFS_MOUNTABLE ? it : it.skip;
  fullDiskTest(
    `a full disk stops the acquisition with a clear error, hardware safe, every written frame readable${TMPFS_MOUNTABLE ? '' : ' (SKIPPED: mounting a tmpfs is not permitted here)'}`,
    async () => {
      const full = await mkdtemp(join(tmpdir(), 'scope-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full], { stdio: 'ignore' });
      try {
        const acquisitions = running.app.get(AcquisitionService);
        const removeHook = acquisitions.addHook({ beforeEvent: (event: MDAEvent) => ({ ...event, illuminationPercent: 10 }) });
        let status: AcquisitionStatus;
        try {
          // 64×48 uint16 = 6 KiB a frame: 1 MiB fills after ~150 of 400
          const started = await acquisitions.start({ time_plan: { interval: 0, loops: 400 } }, { directory: full, force: true });
          status = await acquisitions.finished(started.acquisitionId);
        } finally {
          removeHook();
        }
        expect(status.state).toBe('failed');
        expect(status.error).toMatch(/no space|full/i);
        expect(status.framesWritten).toBeGreaterThan(10);
        expect(status.framesWritten).toBeLessThan(400);
        expect(await running.app.get(HardwareService).requireCore().getShutterOpen()).toBe(false);
        expect((await running.app.get(HardwareService).light()!.getChannels()).every((channel) => !channel.on)).toBe(true);
        const contents = await readOmeTiff(status.datasetPath);
        expect(contents.planes.filter((plane) => !plane.blank).length).toBeGreaterThanOrEqual(status.framesWritten);
      } finally {
        execFileSync('umount', [full]);
        await rm(full, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('refuses unknown channel presets and autofocus devices before anything moves, naming what the configuration has', async () => {
    const preset = await post(`${running.url}/api/acquisitions`, { channels: [{ config: 'GFP-nonexistent', exposure: 5 }] });
    expect(preset.status).toBe(400);
    expect(String(preset.body.message)).toMatch(/"GFP-nonexistent" not in group "Channel"; it has: .*DAPI/);
    const group = await post(`${running.url}/api/acquisitions`, { channels: [{ config: 'DAPI', group: 'Filters', exposure: 5 }] });
    expect(group.status).toBe(400);
    expect(String(group.body.message)).toMatch(/config group "Filters" does not exist; the configuration has: .*Channel/);
    const autofocus = await post(`${running.url}/api/acquisitions`, {
      time_plan: { interval: 0, loops: 2 },
      autofocus_plan: { autofocus_device_name: 'PFS', autofocus_motor_offset: 0, axes: ['t'] },
    });
    expect(autofocus.status).toBe(400);
    expect(String(autofocus.body.message)).toMatch(/autofocus device "PFS" is not loaded; devices: .*Autofocus/);
    expect(
      running.app
        .get(AcquisitionService)
        .list()
        .filter((status) => status.state === 'running'),
    ).toHaveLength(0);
  });

  it('refuses a plan that will not fit on the disk, with the sizes named (507), unless forced', async () => {
    const huge = { time_plan: { interval: 0, loops: 100_000_000 } };
    const refused = await post(`${running.url}/api/acquisitions`, huge);
    expect(refused.status).toBe(507);
    expect(String(refused.body.message)).toMatch(/needs about [\d.]+ GB but .* has [\d.]+ GB free/);
    expect(Number(refused.body.neededBytes)).toBeGreaterThan(Number(refused.body.freeBytes));
    const forced = await post(`${running.url}/api/acquisitions?force=true&format=ome-zarr`, huge);
    expect(forced.status).toBe(201);
    await post(`${running.url}/api/acquisitions/${forced.body.id}/cancel`, {});
    expect((await untilOver(running.url, String(forced.body.id))).state).toBe('cancelled');
  }, 60_000);

  it('previews a plan over REST: sizes, frames, duration, bytes on this camera, free space, the first events', async () => {
    const preview = await post(`${running.url}/api/plans/preview?events=3`, {
      time_plan: { interval: 1, loops: 5 },
      channels: [
        { config: 'DAPI', exposure: 10 },
        { config: 'FITC', exposure: 20 },
      ],
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      totalFrames: 10,
      axisSizes: { t: 5, c: 2 },
      bytesPerFrame: 64 * 48 * 2,
      fits: true,
      eventsTruncated: true,
    });
    expect(Number(preview.body.estimatedDurationS)).toBeGreaterThanOrEqual(4);
    expect(preview.body.events).toEqual([
      expect.objectContaining({ index: { t: 0, c: 0 }, channel: { config: 'DAPI', group: 'Channel' }, exposure: 10, min_start_time: 0 }),
      expect.objectContaining({ index: { t: 0, c: 1 }, channel: { config: 'FITC', group: 'Channel' }, exposure: 20 }),
      expect.objectContaining({ index: { t: 1, c: 0 }, min_start_time: 1 }),
    ]);
    const bad = await post(`${running.url}/api/plans/preview`, { time_plan: { interval: 1 } });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/time_plan/);
  });

  it('reports a multi-position OME-TIFF run as the folder of its per-position files, each of which exists', async () => {
    const plan = {
      time_plan: { interval: 0, loops: 2 },
      stage_positions: [
        { x: 0, y: 0, name: 'A1' },
        { x: 100, y: 50, name: 'B2' },
      ],
    };
    const started = await post(`${running.url}/api/acquisitions`, plan);
    expect(started.status).toBe(201);
    const status = await untilOver(running.url, String(started.body.id));
    expect(status.state).toBe('finished');
    expect((await stat(status.datasetPath)).isDirectory()).toBe(true);
    expect(status.datasetFiles.map((file) => basename(file))).toEqual([
      `${basename(status.datasetPath)}_p000.ome.tif`,
      `${basename(status.datasetPath)}_p001.ome.tif`,
    ]);
    for (const [position, file] of status.datasetFiles.entries()) {
      expect(dirname(file)).toBe(status.datasetPath);
      const contents = await readOmeTiff(file);
      expect(contents.planes).toHaveLength(2);
      expect(contents.datasetInfo?.position).toBe(position);
    }
    const zarr = await untilOver(running.url, String((await post(`${running.url}/api/acquisitions?format=ome-zarr`, plan)).body.id));
    expect(zarr.datasetFiles).toEqual([zarr.datasetPath]);
    expect((await stat(join(zarr.datasetPath, '1', '.zattrs'))).isFile()).toBe(true);
  }, 30_000);

  it('counts frames against frames: a hardware-sequenced burst of 50 frames ends showing 50 of 50', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const plan = { time_plan: { interval: 0, loops: 50 }, channels: [{ config: 'FITC', exposure: 1 }] };
    const started = await acquisitions.start(plan, { hardwareSequencing: true });
    expect(started).toMatchObject({ framesPlanned: 50, framesAcquired: 0 });
    const last = firstValueFrom(
      acquisitions.lifecycle$.pipe(filter((event) => event.type === 'finished' && event.progress.acquisitionId === started.acquisitionId)),
    );
    const status = await acquisitions.finished(started.acquisitionId);
    expect(status).toMatchObject({ state: 'finished', framesPlanned: 50, framesAcquired: 50, framesWritten: 50, eventsDone: 1 });
    expect((await last).progress).toMatchObject({ framesPlanned: 50, framesAcquired: 50 });
  }, 30_000);

  it('runs time points without waits as one hardware-sequenced burst of the camera, every frame in its place', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const seen: Frame[] = [];
    const subscription = acquisitions.frames$.subscribe((frame) => seen.push(frame));
    try {
      const started = await acquisitions.start(
        { time_plan: { interval: 0, loops: 20 }, channels: [{ config: 'FITC', exposure: 2 }] },
        { hardwareSequencing: true },
      );
      const status = await acquisitions.finished(started.acquisitionId);
      expect(status).toMatchObject({ state: 'finished', framesWritten: 20, eventsDone: 1 });
      const mine = seen.filter((frame) => frame.meta.acquisitionId === started.acquisitionId);
      expect(mine.map((frame) => frame.meta.index.t)).toEqual([...Array(20).keys()]);
      // the camera's own timestamps come with sequence-acquired images
      expect(mine.every((frame) => typeof frame.meta.hardwareTimeMs === 'number')).toBe(true);
      const contents = await readOmeTiff(status.datasetPath);
      expect(contents.metadata.images[0].pixels.sizeT).toBe(20);
      expect(contents.planes.every((plane) => !plane.blank)).toBe(true);
    } finally {
      subscription.unsubscribe();
    }
  }, 30_000);
});

describe('hardware sequencing as configured', () => {
  const running = simulatedAppPerSuite('scope-seq-', {
    simulation: { cameraWidthPx: 32, cameraHeightPx: 32 },
    acquisition: { sequencing: 'hardware' },
  });

  it('runs time points without waits as one burst unless the request asks for software sequencing', async () => {
    const plan = { time_plan: { interval: 0, loops: 6 }, channels: [{ config: 'FITC', exposure: 2 }] };
    const configured = await post(`${running.url}/api/acquisitions`, plan);
    expect(configured.status).toBe(201);
    expect(await untilOver(running.url, String(configured.body.id))).toMatchObject({ state: 'finished', framesWritten: 6, eventsDone: 1 });
    const software = await post(`${running.url}/api/acquisitions?sequencing=software`, plan);
    expect(software.status).toBe(201);
    expect(await untilOver(running.url, String(software.body.id))).toMatchObject({ state: 'finished', framesWritten: 6, eventsDone: 6 });
  }, 30_000);
});
