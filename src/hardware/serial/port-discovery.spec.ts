import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortNotFoundError } from './errors';
import { findPortByUsbId, listSerialPorts } from './port-discovery';

/** A small sysfs as the kernel lays it out: /sys/class/tty/<name>/device → the USB interface under the device. */
function buildSysfs(root: string): void {
  const usbDevice = (bus: string, vendor: string, product: string, serial: string, manufacturer: string) => {
    const dir = join(root, 'devices', 'pci0000:00', 'usb1', bus);
    mkdirSync(join(dir, `${bus}:1.0`), { recursive: true });
    writeFileSync(join(dir, 'idVendor'), `${vendor}\n`);
    writeFileSync(join(dir, 'idProduct'), `${product}\n`);
    writeFileSync(join(dir, 'serial'), `${serial}\n`);
    writeFileSync(join(dir, 'manufacturer'), `${manufacturer}\n`);
    return join(dir, `${bus}:1.0`);
  };
  const tty = (name: string, device?: string) => {
    mkdirSync(join(root, 'class', 'tty', name), { recursive: true });
    if (device) symlinkSync(device, join(root, 'class', 'tty', name, 'device'));
  };
  tty('ttyACM0', usbDevice('1-1', '1234', '0004', 'PE4K-1154', 'CoolLED'));
  tty('ttyUSB0', usbDevice('1-2', '0403', '6001', 'FT1', 'FTDI'));
  tty('ttyUSB1', usbDevice('1-3', '0403', '6001', 'FT2', 'FTDI'));
  mkdirSync(join(root, 'devices', 'platform', 'serial8250'), { recursive: true });
  tty('ttyS0', join(root, 'devices', 'platform', 'serial8250'));
  tty('tty0'); // a virtual console: no device, not a serial port
}

describe('serial port discovery', () => {
  let sysRoot: string;
  beforeAll(() => {
    sysRoot = mkdtempSync(join(tmpdir(), 'sysfs-'));
    buildSysfs(sysRoot);
  });
  afterAll(() => rmSync(sysRoot, { recursive: true, force: true }));
  const roots = () => ({ sysRoot, devRoot: '/dev' });

  it('lists serial ports from sysfs with their USB ids when udev is absent', async () => {
    expect(await listSerialPorts(roots())).toEqual([
      { path: '/dev/ttyACM0', vendorId: '1234', productId: '0004', serialNumber: 'PE4K-1154', manufacturer: 'CoolLED', source: 'sysfs' },
      { path: '/dev/ttyS0', vendorId: undefined, productId: undefined, serialNumber: undefined, manufacturer: undefined, source: 'sysfs' },
      { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'FT1', manufacturer: 'FTDI', source: 'sysfs' },
      { path: '/dev/ttyUSB1', vendorId: '0403', productId: '6001', serialNumber: 'FT2', manufacturer: 'FTDI', source: 'sysfs' },
    ]);
  });

  it('finds a port by USB vendor and product id, however the ids are written', async () => {
    expect(await findPortByUsbId({ vendorId: '0x1234', productId: '4' }, roots())).toBe('/dev/ttyACM0');
  });

  it('tells identical adapters apart by serial number, and says when it cannot', async () => {
    expect(await findPortByUsbId({ vendorId: '0403', productId: '6001', serialNumber: 'FT2' }, roots())).toBe('/dev/ttyUSB1');
    await expect(findPortByUsbId({ vendorId: '0403', productId: '6001' }, roots())).rejects.toThrow(
      /2 serial ports match USB 0403:6001 \(\/dev\/ttyUSB0, \/dev\/ttyUSB1\)/,
    );
  });

  it('names the ports it saw when none matches', async () => {
    const error = await findPortByUsbId({ vendorId: 'dead', productId: 'beef' }, roots()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerialPortNotFoundError);
    expect((error as Error).message).toMatch(/no serial port matches USB dead:beef; ports present: \/dev\/ttyACM0 \(1234:0004\)/);
  });

  it('lists this machine’s ports without throwing, with or without udevadm', async () => {
    const ports = await listSerialPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(p.path).toMatch(/^\/dev\//);
  });
});
