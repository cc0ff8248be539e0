/**
 * Micro-Manager's hardware configuration format (.cfg): comma-separated lines such as
 * `Device,Camera,DemoCamera,DCam`, `Property,Core,Camera,Camera`, `Label,Dichroic,1,Q505LP`,
 * `ConfigGroup,Channel,FITC,Dichroic,Label,Q505LP`, `ConfigPixelSize,Res10x,Objective,Label,Nikon 10X S Fluor`,
 * `PixelSize_um,Res10x,1.0`, `PixelSizeAffine,Res10x,1.0,0.0,0.0,0.0,1.0,0.0`.
 */

export interface CfgDevice {
  readonly label: string;
  readonly library: string;
  readonly adapter: string;
}

export interface CfgSetting {
  readonly device: string;
  readonly property: string;
  readonly value: string;
}

export interface CfgPixelSizePreset {
  readonly name: string;
  readonly settings: CfgSetting[];
  pixelSizeUm: number;
  affine?: readonly number[];
}

export interface MicroManagerCfg {
  readonly devices: CfgDevice[];
  /** Property lines in file order (pre-init and post-init alike; `Core` roles included). */
  readonly properties: CfgSetting[];
  /** State labels per device: position → label. */
  readonly labels: Map<string, Map<number, string>>;
  /** Config groups: group → preset → settings. */
  readonly groups: Map<string, Map<string, CfgSetting[]>>;
  readonly pixelSizes: Map<string, CfgPixelSizePreset>;
  readonly delays: Map<string, number>;
  readonly focusDirections: Map<string, number>;
  readonly parents: Map<string, string>;
  /** Lines the simulator does not act on, kept so nothing is silently lost. */
  readonly ignored: string[];
}

export class CfgParseError extends Error {
  override readonly name = 'CfgParseError';
  constructor(
    readonly lineNumber: number,
    readonly line: string,
    reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}: "${line}"`);
  }
}

function need(fields: string[], count: number, lineNumber: number, line: string): void {
  if (fields.length < count) throw new CfgParseError(lineNumber, line, `expected at least ${count} fields`);
}

function number(text: string, lineNumber: number, line: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new CfgParseError(lineNumber, line, `"${text}" is not a number`);
  return value;
}

export function parseMicroManagerCfg(text: string): MicroManagerCfg {
  const cfg: MicroManagerCfg = {
    devices: [],
    properties: [],
    labels: new Map(),
    groups: new Map(),
    pixelSizes: new Map(),
    delays: new Map(),
    focusDirections: new Map(),
    parents: new Map(),
    ignored: [],
  };
  const pixelPreset = (name: string) => {
    let preset = cfg.pixelSizes.get(name);
    if (!preset) {
      preset = { name, settings: [], pixelSizeUm: 1 };
      cfg.pixelSizes.set(name, preset);
    }
    return preset;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNumber = i + 1;
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(',');
    switch (fields[0]) {
      case 'Device':
        need(fields, 4, lineNumber, line);
        cfg.devices.push({ label: fields[1], library: fields[2], adapter: fields[3] });
        break;
      case 'Property':
        need(fields, 3, lineNumber, line);
        cfg.properties.push({ device: fields[1], property: fields[2], value: fields.slice(3).join(',') });
        break;
      case 'Label': {
        need(fields, 4, lineNumber, line);
        const labels = cfg.labels.get(fields[1]) ?? new Map<number, string>();
        labels.set(number(fields[2], lineNumber, line), fields.slice(3).join(','));
        cfg.labels.set(fields[1], labels);
        break;
      }
      case 'ConfigGroup': {
        need(fields, 3, lineNumber, line);
        const presets = cfg.groups.get(fields[1]) ?? new Map<string, CfgSetting[]>();
        cfg.groups.set(fields[1], presets);
        if (fields.length >= 6) {
          const settings = presets.get(fields[2]) ?? [];
          settings.push({ device: fields[3], property: fields[4], value: fields.slice(5).join(',') });
          presets.set(fields[2], settings);
        }
        break;
      }
      case 'ConfigPixelSize':
        need(fields, 5, lineNumber, line);
        pixelPreset(fields[1]).settings.push({ device: fields[2], property: fields[3], value: fields.slice(4).join(',') });
        break;
      case 'PixelSize_um':
        need(fields, 3, lineNumber, line);
        pixelPreset(fields[1]).pixelSizeUm = number(fields[2], lineNumber, line);
        break;
      case 'PixelSizeAffine':
        need(fields, 8, lineNumber, line);
        pixelPreset(fields[1]).affine = fields.slice(2, 8).map((f) => number(f, lineNumber, line));
        break;
      case 'Delay':
        need(fields, 3, lineNumber, line);
        cfg.delays.set(fields[1], number(fields[2], lineNumber, line));
        break;
      case 'FocusDirection':
        need(fields, 3, lineNumber, line);
        cfg.focusDirections.set(fields[1], number(fields[2], lineNumber, line));
        break;
      case 'Parent':
        need(fields, 3, lineNumber, line);
        cfg.parents.set(fields[1], fields[2]);
        break;
      default:
        cfg.ignored.push(line);
    }
  });
  return cfg;
}
