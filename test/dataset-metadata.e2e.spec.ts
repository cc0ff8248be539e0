import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOmeTiff } from '../src/acquisition/storage';
import { requireDebianPython, runPython, ZARR_REPORT, type ZarrReport } from '../src/acquisition/storage/test-support/debian-python';
import { runPlanOnScope, startSimulatedScope, type SimulatedScope } from './support/simulated-run';

/** One position the stages cannot reach exactly: DemoCamera's XY steps are 0.015 µm, its Z steps 0.025 µm. */
const PLAN = {
  stage_positions: [{ x: 100, y: 50, z: 10.01, name: 'A1' }],
  channels: ['DAPI', 'FITC', 'Rhodamine', 'Cy5'].map((config) => ({ config, exposure: 2 })),
};
const REPORTED = { xUm: 6667 * 0.015, yUm: 3333 * 0.015, zUm: 400 * 0.025 };

/** What tifffile's OME-XML says of channels (colour as RRGGBB) and planes (stage positions), and our annotation. */
interface OmeReport {
  readonly channels: { name: string; color: string }[];
  readonly positions: { x: number; y: number; z: number }[];
  readonly annotation: Record<string, string>;
}

const OME_REPORT = `
import sys, json, tifffile, xml.etree.ElementTree as ET
ns = {'ome': 'http://www.openmicroscopy.org/Schemas/OME/2016-06'}
with tifffile.TiffFile(sys.argv[1]) as tif:
    root = ET.fromstring(tif.ome_metadata)
pixels = root.find('ome:Image/ome:Pixels', ns)
channels = [{'name': c.get('Name'), 'color': format(int(c.get('Color')) & 0xFFFFFFFF, '08X')[:6]} for c in pixels.findall('ome:Channel', ns)]
positions = [{k: float(p.get('Position' + k.upper())) for k in 'xyz'} for p in pixels.findall('ome:Plane', ns)]
annotation = {m.get('K'): m.text for m in root.findall('.//ome:MapAnnotation/ome:Value/ome:M', ns)}
print(json.dumps({'channels': channels, 'positions': positions, 'annotation': annotation}))
`;

const ZARR_COLORS = `
import sys, json, zarr
print(json.dumps([c['color'] for c in zarr.open(sys.argv[1], mode='r').attrs['omero']['channels']]))
`;

describe('a data set records what the hardware did and what its channels are', () => {
  let directory: string;
  let scope: SimulatedScope;
  beforeAll(async () => {
    requireDebianPython();
    directory = await mkdtemp(join(tmpdir(), 'scope-metadata-'));
    scope = await startSimulatedScope({ xyStepUm: 0.015, zStepUm: 0.025 });
  });
  afterAll(async () => {
    await scope.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes the stage-reported position into OME Plane PositionX/Y/Z, keeping the planned one', async () => {
    const { progress, writer } = await runPlanOnScope(scope.core, PLAN, { directory, format: 'ome-tiff' });
    expect(progress.state).toBe('finished');
    const report = runPython<OmeReport>(OME_REPORT, [writer.path]);
    expect(report.positions).toHaveLength(4);
    for (const position of report.positions) {
      expect(position.x).toBeCloseTo(REPORTED.xUm, 9);
      expect(position.y).toBeCloseTo(REPORTED.yUm, 9);
      expect(position.z).toBeCloseTo(REPORTED.zUm, 9);
    }
    expect(REPORTED.xUm).not.toBeCloseTo(100, 3);
    expect(report.annotation).toMatchObject({ 'plannedPosition.xUm': '100', 'plannedPosition.yUm': '50', 'plannedPosition.zUm': '10.01' });
    const plane = (await readOmeTiff(writer.path)).plane(0, 3, 0);
    expect(plane?.record?.meta?.plannedStage).toEqual({ xUm: 100, yUm: 50, zUm: 10.01 });
    expect(plane?.record?.meta?.stage.xUm).toBeCloseTo(REPORTED.xUm, 9);
  }, 60_000);

  it('writes the stage-reported and planned positions into the OME-Zarr attributes', async () => {
    const { writer } = await runPlanOnScope(scope.core, PLAN, { directory, format: 'ome-zarr' });
    const { scope: attrs } = runPython<ZarrReport>(ZARR_REPORT, [writer.path, '']);
    const stage = attrs.stage as { reported: Record<string, number>; planned: Record<string, number> };
    expect(stage.planned).toEqual({ xUm: 100, yUm: 50, zUm: 10.01 });
    expect(stage.reported.xUm).toBeCloseTo(REPORTED.xUm, 9);
    expect(stage.reported.zUm).toBeCloseTo(REPORTED.zUm, 9);
  }, 60_000);

  it('colours channels by their dye (DAPI blue, FITC green, rhodamine orange, Cy5 magenta) in OME and OME-Zarr', async () => {
    const tiff = await runPlanOnScope(scope.core, PLAN, { directory, format: 'ome-tiff' });
    expect(runPython<OmeReport>(OME_REPORT, [tiff.writer.path]).channels).toEqual([
      { name: 'DAPI', color: '0000FF' },
      { name: 'FITC', color: '00FF00' },
      { name: 'Rhodamine', color: 'FF8000' },
      { name: 'Cy5', color: 'FF00FF' },
    ]);
    const zarr = await runPlanOnScope(scope.core, PLAN, { directory, format: 'ome-zarr' });
    expect(runPython<string[]>(ZARR_COLORS, [zarr.writer.path])).toEqual(['0000FF', '00FF00', 'FF8000', 'FF00FF']);
  }, 60_000);

  it('a configured colour wins, then a configured wavelength, over the name', async () => {
    const channelLights = { FITC: { color: '#00a0ff' }, Cy5: { emissionNm: 620 }, DAPI: { excitationNm: 488 } };
    const { writer } = await runPlanOnScope(scope.core, PLAN, { directory, format: 'ome-tiff', channelLights });
    expect(runPython<OmeReport>(OME_REPORT, [writer.path]).channels.map((channel) => channel.color)).toEqual([
      '00FF00',
      '00A0FF',
      'FF8000',
      'FF0000',
    ]);
  }, 60_000);
});
