import { startMicroManagerSimulator, type RunningMicroManagerSimulator } from '../../../simulators/micro-manager';
import { connectMicroManager, MicroManagerCamera, MicroManagerZStage, type MicroManagerCore } from '../../hardware/micro-manager';
import { AutofocusOptionsError, runSoftwareAutofocus } from './software-autofocus';
import { FOCUS_PLANE_UM, HALF_DEPTH_OF_FIELD_UM } from './test-images';

describe('software autofocus against the simulated microscope', () => {
  let sim: RunningMicroManagerSimulator;
  let core: MicroManagerCore;
  let hardware: { camera: MicroManagerCamera; zStage: MicroManagerZStage };

  beforeAll(async () => {
    sim = await startMicroManagerSimulator({ port: 0 });
    core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 5000 });
    await core.setProperty('Camera', 'OnCameraCCDXSize', 128);
    await core.setProperty('Camera', 'OnCameraCCDYSize', 128);
    await core.setExposure(10);
    await core.setStateLabel('Objective', 'Nikon 40X Plan Fluor ELWD');
    hardware = {
      camera: new MicroManagerCamera(core, await core.getCameraDevice()),
      zStage: new MicroManagerZStage(core, await core.getFocusDevice()),
    };
  });

  afterAll(async () => {
    await core?.close();
    await sim?.close();
  });

  it.each([
    ['below', -3],
    ['above', 2.5],
  ])('brings a field of cells into focus from %s the focal plane and leaves the stage there', async (_, startOffsetUm) => {
    await core.setXYPosition('XY', 60, -40);
    await hardware.zStage.setPositionUm(FOCUS_PLANE_UM + startOffsetUm);
    const result = await runSoftwareAutofocus(hardware);
    expect(result.found).toBe(true);
    expect(result.startZUm).toBeCloseTo(FOCUS_PLANE_UM + startOffsetUm, 6);
    expect(Math.abs(result.zUm - FOCUS_PLANE_UM)).toBeLessThanOrEqual(HALF_DEPTH_OF_FIELD_UM);
    expect(await hardware.zStage.getPositionUm()).toBeCloseTo(result.zUm, 6);
    // 11 coarse + 9 fine snaps with the defaults.
    expect(result.samples).toHaveLength(20);
  });

  it('scans on past the edge when the focal plane lies outside the first range', async () => {
    await core.setXYPosition('XY', -100, 100);
    await hardware.zStage.setPositionUm(FOCUS_PLANE_UM - 7);
    const result = await runSoftwareAutofocus(hardware, { coarseRangeUm: 6 });
    expect(result.found).toBe(true);
    expect(Math.abs(result.zUm - FOCUS_PLANE_UM)).toBeLessThanOrEqual(HALF_DEPTH_OF_FIELD_UM);
  });

  it('goes back to where it started when the field holds nothing to focus on', async () => {
    await core.setXYPosition('XY', 150, 30);
    await hardware.zStage.setPositionUm(1.5);
    const result = await runSoftwareAutofocus(hardware);
    expect(result.found).toBe(false);
    expect(result.zUm).toBe(1.5);
    expect(await hardware.zStage.getPositionUm()).toBeCloseTo(1.5, 6);
  });

  it('refuses scan settings that make no sense before moving anything', async () => {
    await expect(runSoftwareAutofocus(hardware, { fineStepUm: 0 })).rejects.toThrow(AutofocusOptionsError);
    await expect(runSoftwareAutofocus(hardware, { maxCoarseScans: 0.5 })).rejects.toThrow(/maxCoarseScans/);
  });
});
