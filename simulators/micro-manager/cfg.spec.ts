import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CfgParseError, parseMicroManagerCfg } from './cfg-parser';
import { CfgLoadError, SimCore } from './sim-core';

const SHARED_DEMO = resolve(__dirname, '../../../shared/data/micro-manager/MMConfig_demo.cfg');
const OUR_DEMO = resolve(__dirname, 'config/demo.cfg');

describe('the .cfg parser', () => {
  const cfg = parseMicroManagerCfg(readFileSync(SHARED_DEMO, 'latin1'));

  it('reads the devices of Micro-Manager demo configuration in order, with library and adapter', () => {
    expect(cfg.devices.map((d) => `${d.label}=${d.library}/${d.adapter}`)).toEqual([
      'DHub=DemoCamera/DHub',
      'Camera=DemoCamera/DCam',
      'Dichroic=DemoCamera/DWheel',
      'Emission=DemoCamera/DWheel',
      'Excitation=DemoCamera/DWheel',
      'Objective=DemoCamera/DObjective',
      'Z=DemoCamera/DStage',
      'Path=DemoCamera/DLightPath',
      'XY=DemoCamera/DXYStage',
      'Shutter=DemoCamera/DShutter',
      'Autofocus=DemoCamera/DAutoFocus',
    ]);
  });

  it('reads state labels, config groups with their presets and settings, and pixel-size presets', () => {
    expect(cfg.labels.get('Objective')?.get(1)).toBe('Nikon 10X S Fluor');
    expect(cfg.labels.get('Dichroic')?.get(2)).toBe('Q585LP');
    expect([...cfg.groups.keys()].sort()).toEqual(['Camera', 'Channel', 'LightPath', 'Objective', 'System']);
    expect([...cfg.groups.get('Channel')!.keys()].sort()).toEqual(['Cy5', 'DAPI', 'FITC', 'Rhodamine']);
    expect(cfg.groups.get('Channel')!.get('FITC')).toEqual([
      { device: 'Dichroic', property: 'Label', value: 'Q505LP' },
      { device: 'Emission', property: 'Label', value: 'Chroma-HQ535' },
      { device: 'Excitation', property: 'Label', value: 'Chroma-HQ480' },
    ]);
    expect(cfg.pixelSizes.get('Res40x')).toEqual({
      name: 'Res40x',
      settings: [{ device: 'Objective', property: 'Label', value: 'Nikon 40X Plan Fluor ELWD' }],
      pixelSizeUm: 0.25,
    });
    expect(cfg.properties.filter((p) => p.device === 'Core').map((p) => `${p.property}=${p.value}`)).toEqual([
      'Initialize=0',
      'Initialize=1',
      'Camera=Camera',
      'Shutter=Shutter',
      'Focus=Z',
      'AutoShutter=1',
    ]);
  });

  it('reads affine transforms, delays, focus directions and parents, and keeps unknown lines with a reason', () => {
    const extra = parseMicroManagerCfg(
      [
        'Device,Camera,DemoCamera,DCam',
        'PixelSizeAffine,Res10x,1.0,0.0,5.0,0.0,1.0,-2.0',
        'Delay,Z,12.5',
        'FocusDirection,Z,-1',
        'Parent,Camera,DHub',
        'Equipment,Camera,whatever',
        'Banana,1,2',
      ].join('\r\n'),
    );
    expect(extra.pixelSizes.get('Res10x')?.affine).toEqual([1, 0, 5, 0, 1, -2]);
    expect(extra.delaysMs.get('Z')).toBe(12.5);
    expect(extra.focusDirections.get('Z')).toBe(-1);
    expect(extra.parents.get('Camera')).toBe('DHub');
    expect(extra.ignored).toEqual([
      { lineNumber: 6, line: 'Equipment,Camera,whatever', reason: 'Equipment is not modelled by the simulator' },
      { lineNumber: 7, line: 'Banana,1,2', reason: 'unknown command "Banana"' },
    ]);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseMicroManagerCfg('# ok\nDevice,Camera,DemoCamera')).toThrow(CfgParseError);
    expect(() => parseMicroManagerCfg('# ok\nDevice,Camera,DemoCamera')).toThrow(/line 2: Device needs at least 4/);
    expect(() => parseMicroManagerCfg('PixelSize_um,Res10x,big')).toThrow(/line 1: "big" is not a number/);
  });

  it('our own demo configuration describes the same system as Micro-Manager demo configuration', () => {
    const ours = parseMicroManagerCfg(readFileSync(OUR_DEMO, 'latin1'));
    expect(ours.devices.map(({ label, library, adapter }) => [label, library, adapter])).toEqual(
      cfg.devices.map(({ label, library, adapter }) => [label, library, adapter]),
    );
    const sortedGroups = (c: typeof cfg) =>
      Object.fromEntries(
        [...c.groups].map(([g, presets]) => [
          g,
          Object.fromEntries([...presets].map(([p, s]) => [p, [...s].sort((a, b) => a.device.localeCompare(b.device))])),
        ]),
      );
    expect(sortedGroups(ours)).toEqual(sortedGroups(cfg));
    const a = new SimCore(ours, { lightSource: null });
    const b = new SimCore(cfg, { lightSource: null });
    for (const label of b.devicesOfType('StateDevice')) expect(a.stateLabels(label)).toEqual(b.stateLabels(label));
    expect([...a.pixelSizes.values()].map((p) => p.pixelSizeUm).sort()).toEqual(
      [...b.pixelSizes.values()].map((p) => p.pixelSizeUm).sort(),
    );
  });
});

describe('loading a configuration into the simulated core', () => {
  const load = (text: string) => new SimCore(parseMicroManagerCfg(text), { lightSource: null });
  const core = new SimCore(parseMicroManagerCfg(readFileSync(SHARED_DEMO, 'latin1')));

  it('assigns roles, applies the System/Startup preset and adds the LED before the Core', () => {
    expect(core.loadedDevices()).toEqual([
      'DHub',
      'Camera',
      'Dichroic',
      'Emission',
      'Excitation',
      'Objective',
      'Z',
      'Path',
      'XY',
      'Shutter',
      'Autofocus',
      'LED',
      'Core',
    ]);
    expect(['Camera', 'Shutter', 'Focus', 'XYStage', 'AutoFocus'].map((role) => core.role(role as 'Camera'))).toEqual([
      'Camera',
      'Shutter',
      'Z',
      'XY',
      'Autofocus',
    ]);
    expect(core.getProperty('Objective', 'Label')).toBe('Nikon 10X S Fluor');
    expect(core.getProperty('Core', 'ChannelGroup')).toBe('Channel');
    expect(core.device('LED').library).toBe('SimulatedLight');
  });

  it('applies presets, reports the current one, and derives the pixel size from the objective and binning', () => {
    core.setConfig('Channel', 'Rhodamine');
    expect(core.currentConfig('Channel')).toBe('Rhodamine');
    expect(core.getProperty('Dichroic', 'State')).toBe('2');
    expect(core.currentPixelSizeConfig()).toBe('Res10x');
    expect(core.pixelSizeUm()).toBe(1);
    core.setConfig('Objective', '40X');
    core.setProperty('Camera', 'Binning', '2');
    expect(core.currentPixelSizeConfig()).toBe('Res40x');
    expect(core.pixelSizeUm()).toBe(0.5);
    core.setProperty('Objective', 'State', '2');
    expect(core.currentPixelSizeConfig()).toBe('');
    expect(core.pixelSizeUm()).toBe(0);
  });

  it('keeps unknown device adapters as generic devices with the properties the file sets, and says so', () => {
    const loaded = load('Device,Lamp,SomeVendor,Halogen\nProperty,Lamp,Voltage,12');
    expect(loaded.device('Lamp').type).toBe('GenericDevice');
    expect(loaded.getProperty('Lamp', 'Voltage')).toBe('12');
    expect(loaded.warnings).toEqual(['device "Lamp" (SomeVendor/Halogen) is not simulated']);
  });

  it('refuses a configuration that sets a property the device lacks, naming the line', () => {
    expect(() => load('Device,Camera,DemoCamera,DCam\nProperty,Camera,Colour,red')).toThrow(CfgLoadError);
    expect(() => load('Device,Camera,DemoCamera,DCam\nProperty,Camera,Colour,red')).toThrow(
      /line 2: Property "Colour" not defined for device "Camera"/,
    );
  });
});
