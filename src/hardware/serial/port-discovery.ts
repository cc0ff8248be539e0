import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import { SerialPortNotFoundError } from './errors';

export interface SerialPortDescription {
  readonly path: string;
  /** Four lower-case hex digits, e.g. "0403"; absent for ports that are not USB. */
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  /** Which lister produced the entry: serialport's (udev) or our reading of sysfs when udev is absent. */
  readonly source: 'serialport' | 'sysfs';
}

export interface UsbPortMatch {
  readonly vendorId: string;
  readonly productId: string;
  readonly serialNumber?: string;
}

export interface DiscoveryRoots {
  /** Where sysfs is mounted ('/sys'); tests point it at a folder they built. */
  readonly sysRoot?: string;
  readonly devRoot?: string;
}

const normaliseHex = (id: string | undefined): string | undefined => id?.toLowerCase().replace(/^0x/, '').padStart(4, '0');

/**
 * Serial ports of this machine. serialport's lister runs `udevadm`, which is missing where udev is not installed
 * (containers, CI): it throws `spawn udevadm ENOENT`. Then we read sysfs ourselves, which holds the same facts.
 */
export async function listSerialPorts(roots: DiscoveryRoots = {}): Promise<readonly SerialPortDescription[]> {
  if (roots.sysRoot === undefined) {
    try {
      const ports = await SerialPort.list();
      return ports.map((p) => ({
        path: p.path,
        vendorId: normaliseHex(p.vendorId),
        productId: normaliseHex(p.productId),
        serialNumber: p.serialNumber,
        manufacturer: p.manufacturer,
        source: 'serialport' as const,
      }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !/udevadm/.test(String(err))) throw err;
    }
  }
  return listFromSysfs(roots.sysRoot ?? '/sys', roots.devRoot ?? '/dev');
}

function listFromSysfs(sysRoot: string, devRoot: string): SerialPortDescription[] {
  const classDir = join(sysRoot, 'class', 'tty');
  if (!existsSync(classDir)) return [];
  const found: SerialPortDescription[] = [];
  for (const name of readdirSync(classDir).sort()) {
    const deviceLink = join(classDir, name, 'device');
    // Virtual terminals (tty0…, pts) have no device behind them; serialport leaves them out too.
    if (!existsSync(deviceLink)) continue;
    const usb = usbAncestor(realpathSync(deviceLink), sysRoot);
    found.push({
      path: join(devRoot, name),
      vendorId: usb && normaliseHex(readAttribute(usb, 'idVendor')),
      productId: usb && normaliseHex(readAttribute(usb, 'idProduct')),
      serialNumber: usb && readAttribute(usb, 'serial'),
      manufacturer: usb && readAttribute(usb, 'manufacturer'),
      source: 'sysfs',
    });
  }
  return found;
}

/** The nearest folder above a tty's device that describes a USB device (it has idVendor). */
function usbAncestor(devicePath: string, sysRoot: string): string | undefined {
  const stop = realpathSync(sysRoot);
  for (let dir = devicePath; dir.startsWith(stop) && dir !== stop; dir = dirname(dir)) {
    if (existsSync(join(dir, 'idVendor'))) return dir;
  }
  return undefined;
}

function readAttribute(dir: string, attribute: string): string | undefined {
  const file = join(dir, attribute);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** The one port whose USB ids match; a clear error when none or several do. */
export async function findPortByUsbId(match: UsbPortMatch, roots: DiscoveryRoots = {}): Promise<string> {
  const vendorId = normaliseHex(match.vendorId);
  const productId = normaliseHex(match.productId);
  const ports = await listSerialPorts(roots);
  const hits = ports.filter(
    (p) =>
      p.vendorId === vendorId && p.productId === productId && (match.serialNumber === undefined || p.serialNumber === match.serialNumber),
  );
  const wanted = `USB ${vendorId}:${productId}${match.serialNumber ? ` serial ${match.serialNumber}` : ''}`;
  if (hits.length === 1) return hits[0].path;
  if (hits.length === 0) {
    const seen = ports.map((p) => `${p.path}${p.vendorId ? ` (${p.vendorId}:${p.productId})` : ''}`).join(', ') || 'none';
    throw new SerialPortNotFoundError(`no serial port matches ${wanted}; ports present: ${seen}`, wanted);
  }
  throw new SerialPortNotFoundError(
    `${hits.length} serial ports match ${wanted} (${hits.map((p) => p.path).join(', ')}); add the serial number or configure the path`,
    wanted,
  );
}
