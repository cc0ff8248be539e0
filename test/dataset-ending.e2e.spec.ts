import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../src/acquisition/frame';
import type { EventHooks } from '../src/acquisition/runner/runner';
import type { MDAEvent } from '../src/acquisition/plans';
import { requireDebianPython, runPython, ZARR_REPORT, type ZarrReport } from '../src/acquisition/storage/test-support/debian-python';
import { runPlanOnScope, startSimulatedScope, type SimulatedScope } from './support/simulated-run';

/** 3 time points × 2 channels × 2 slices = 12 frames, in loop order t, c, z. */
const PLAN = {
  time_plan: { interval: 0, loops: 3 },
  channels: [
    { config: 'DAPI', exposure: 2 },
    { config: 'FITC', exposure: 2 },
  ],
  z_plan: { range: 1, step: 1 },
};

/** What tifffile sees in a file: pages with their PageName, the series shape, our MapAnnotation. */
interface PagesReport {
  readonly pages: number;
  readonly pageNames: (string | null)[];
  readonly shape: number[];
  readonly annotation: Record<string, string>;
}

const PAGES_REPORT = `
import sys, json, tifffile, xml.etree.ElementTree as ET
ns = {'ome': 'http://www.openmicroscopy.org/Schemas/OME/2016-06'}
with tifffile.TiffFile(sys.argv[1]) as tif:
    names = [page.tags['PageName'].value if 'PageName' in page.tags else None for page in tif.pages]
    root = ET.fromstring(tif.ome_metadata)
    annotation = {m.get('K'): m.text for m in root.findall('.//ome:MapAnnotation/ome:Value/ome:M', ns)}
    print(json.dumps({'pages': len(tif.pages), 'pageNames': names, 'shape': list(tif.series[0].shape), 'annotation': annotation}))
`;

/** Stops the simulated microscope once `frames` frames are in: the next hardware call fails, as with a crashed Micro-Manager. */
const killAfter = (scope: SimulatedScope, frames: number): EventHooks<MDAEvent> => {
  let seen = 0;
  return {
    afterEvent: async (_event: MDAEvent, produced: readonly Frame[]) => {
      seen += produced.length;
      if (seen === frames) await scope.sim.close();
    },
  };
};

describe('a data set says how its acquisition ended', () => {
  let directory: string;
  beforeAll(async () => {
    requireDebianPython();
    directory = await mkdtemp(join(tmpdir(), 'scope-ending-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it.each(['ome-tiff', 'ome-zarr'] as const)(
    'a %s run whose microscope goes away after 9 of 12 frames is marked failed with the reason',
    async (format) => {
      const scope = await startSimulatedScope({}, 400);
      try {
        const { progress, writer } = await runPlanOnScope(scope.core, PLAN, { directory, format, hooks: () => [killAfter(scope, 9)] });
        expect(progress).toMatchObject({ state: 'failed', framesWritten: 9 });
        expect(progress.error).toBeTruthy();
        if (format === 'ome-tiff') {
          const report = runPython<PagesReport>(PAGES_REPORT, [writer.path]);
          expect(report.annotation).toMatchObject({ state: 'failed', stateReason: progress.error, planesAcquired: '9' });
          expect(report.shape).toEqual([3, 2, 2, 24, 32]);
          // the unfinished time point is completed with fillers that say what they are, page by page and in the OME-XML
          expect(report.pages).toBe(12);
          expect(report.pageNames).toEqual([...Array(9).fill(null), ...Array(3).fill('blank: not acquired')]);
          expect(report.annotation).toMatchObject({ blankPlanes: '3', blankPlaneIndices: 't2c0z1 t2c1z0 t2c1z1' });
        } else {
          const report = runPython<ZarrReport>(ZARR_REPORT, [writer.path, '']);
          expect(report.scope).toMatchObject({ state: 'failed', stateReason: progress.error, planesWritten: 9 });
          expect(report.shape).toEqual([3, 2, 2, 24, 32]);
        }
      } finally {
        await scope.core.close();
      }
    },
    60_000,
  );

  it.each(['ome-tiff', 'ome-zarr'] as const)(
    'a cancelled %s run is marked cancelled, not complete',
    async (format) => {
      const scope = await startSimulatedScope();
      try {
        const { progress, writer } = await runPlanOnScope(scope.core, PLAN, {
          directory,
          format,
          hooks: (run) => [{ afterEvent: (_event, frames) => void (frames[0]?.meta.sequence === 4 && run.cancel()) }],
        });
        expect(progress).toMatchObject({ state: 'cancelled', framesWritten: 5 });
        const state =
          format === 'ome-tiff'
            ? runPython<PagesReport>(PAGES_REPORT, [writer.path]).annotation
            : (runPython<ZarrReport>(ZARR_REPORT, [writer.path, '']).scope as Record<string, string>);
        expect(state).toMatchObject({ state: 'cancelled', stateReason: expect.stringMatching(/cancelled/) });
      } finally {
        await scope.close();
      }
    },
    60_000,
  );

  it('a run that ends normally is marked complete', async () => {
    const scope = await startSimulatedScope();
    try {
      const { progress, writer } = await runPlanOnScope(scope.core, PLAN, { directory, format: 'ome-tiff' });
      expect(progress).toMatchObject({ state: 'finished', framesWritten: 12 });
      const report = runPython<PagesReport>(PAGES_REPORT, [writer.path]);
      expect(report.annotation).toMatchObject({ state: 'complete', planesAcquired: '12' });
      expect(report.annotation.stateReason).toBeUndefined();
      expect(report.pageNames.every((name) => name === null)).toBe(true);
    } finally {
      await scope.close();
    }
  }, 60_000);
});
