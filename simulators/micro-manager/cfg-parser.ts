/**
 * Micro-Manager's hardware configuration format (.cfg): comma-separated lines such as
 * `Device,Camera,DemoCamera,DCam`, `Property,Core,Camera,Camera`, `Label,Dichroic,1,Q505LP`,
 * `ConfigGroup,Channel,FITC,Dichroic,Label,Q505LP`, `ConfigPixelSize,Res10x,Objective,Label,Nikon 10X S Fluor`,
 * `PixelSize_um,Res10x,1.0`, `PixelSizeAffine,Res10x,1.0,0.0,0.0,0.0,1.0,0.0`, `Delay,Z,10`, `FocusDirection,Z,1`,
 * `Parent,Camera,DHub`. Lines the simulator does not act on are kept in `ignored`, with the reason.
 */

export interface CfgDevice {
  readonly label: string;
  readonly library: string;
  readonly adapter: string;
  readonly lineNumber: number;
}

export interface CfgSetting {
  readonly device: string;
  readonly property: string;
  readonly value: string;
}

export interface CfgProperty extends CfgSetting {
  readonly lineNumber: number;
}

export interface CfgPixelSizePreset {
  readonly name: string;
  readonly settings: CfgSetting[];
  pixelSizeUm: number;
  /** The 2×3 pixel-to-stage transform, row-major (a, b, c, d, e, f). */
  affine?: readonly number[];
}

export interface MicroManagerCfg {
  readonly devices: CfgDevice[];
  /** Property lines in file order (pre-init, `Core,Initialize` and post-init alike). */
  readonly properties: CfgProperty[];
  /** State labels per device: position → label. */
  readonly labels: Map<string, Map<number, string>>;
  /** Config groups: group → preset → settings (file order). */
  readonly groups: Map<string, Map<string, CfgSetting[]>>;
  readonly pixelSizes: Map<string, CfgPixelSizePreset>;
  readonly delaysMs: Map<string, number>;
  readonly focusDirections: Map<string, number>;
  readonly parents: Map<string, string>;
  readonly ignored: Array<{ readonly lineNumber: number; readonly line: string; readonly reason: string }>;
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

/** Commands of the format that describe things the simulator does not model. */
const KNOWN_UNUSED = new Set(['Equipment', 'ImageSynchro', 'Configuration', 'PixelSizedxdz', 'PixelSizedydz', 'PixelSizeOptimalZ_Um']);

export function parseMicroManagerCfg(text: string): MicroManagerCfg {
  const cfg: MicroManagerCfg = {
    devices: [],
    properties: [],
    labels: new Map(),
    groups: new Map(),
    pixelSizes: new Map(),
    delaysMs: new Map(),
    focusDirections: new Map(),
    parents: new Map(),
    ignored: [],
  };
  const pixelPreset = (name: string) => {
    let preset = cfg.pixelSizes.get(name);
    if (!preset) {
      preset = { name, settings: [], pixelSizeUm: 0 };
      cfg.pixelSizes.set(name, preset);
    }
    return preset;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNumber = i + 1;
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(',');
    const need = (count: number) => {
      if (fields.length < count) throw new CfgParseError(lineNumber, line, `${fields[0]} needs at least ${count} comma-separated fields`);
    };
    const number = (field: string) => {
      const value = Number(field);
      if (field.trim() === '' || !Number.isFinite(value)) throw new CfgParseError(lineNumber, line, `"${field}" is not a number`);
      return value;
    };
    const rest = (from: number) => fields.slice(from).join(',');
    switch (fields[0]) {
      case 'Device':
        need(4);
        cfg.devices.push({ label: fields[1], library: fields[2], adapter: fields[3], lineNumber });
        break;
      case 'Property':
        need(3);
        cfg.properties.push({ device: fields[1], property: fields[2], value: rest(3), lineNumber });
        break;
      case 'Label': {
        need(4);
        const labels = cfg.labels.get(fields[1]) ?? new Map<number, string>();
        labels.set(number(fields[2]), rest(3));
        cfg.labels.set(fields[1], labels);
        break;
      }
      case 'ConfigGroup': {
        need(2);
        const presets = cfg.groups.get(fields[1]) ?? new Map<string, CfgSetting[]>();
        cfg.groups.set(fields[1], presets);
        if (fields.length >= 3 && !presets.has(fields[2])) presets.set(fields[2], []);
        if (fields.length >= 6) presets.get(fields[2])!.push({ device: fields[3], property: fields[4], value: rest(5) });
        else if (fields.length > 3)
          throw new CfgParseError(lineNumber, line, 'ConfigGroup needs group, preset, device, property and value');
        break;
      }
      case 'ConfigPixelSize':
        need(5);
        pixelPreset(fields[1]).settings.push({ device: fields[2], property: fields[3], value: rest(4) });
        break;
      case 'PixelSize_um':
        need(3);
        pixelPreset(fields[1]).pixelSizeUm = number(fields[2]);
        break;
      case 'PixelSizeAffine':
        need(8);
        pixelPreset(fields[1]).affine = fields.slice(2, 8).map(number);
        break;
      case 'Delay':
        need(3);
        cfg.delaysMs.set(fields[1], number(fields[2]));
        break;
      case 'FocusDirection':
        need(3);
        cfg.focusDirections.set(fields[1], number(fields[2]));
        break;
      case 'Parent':
        need(3);
        cfg.parents.set(fields[1], fields[2]);
        break;
      default:
        cfg.ignored.push({
          lineNumber,
          line,
          reason: KNOWN_UNUSED.has(fields[0]) ? `${fields[0]} is not modelled by the simulator` : `unknown command "${fields[0]}"`,
        });
    }
  });
  return cfg;
}
