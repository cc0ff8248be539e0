import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Image } from '../../../hardware/devices';
import { storageStackIo } from '../../io/storage-stack-io';
import type { CalibrationReport } from './calibration-report';

/** CSBDeep's layout: low/NNN.tif and high/NNN.tif of the same field; re-taken frames kept under rejected/. */
export class CalibrationFiles {
  constructor(
    readonly directory: string,
    private readonly pixelSizeUm: number,
  ) {}

  static async create(directory: string, pixelSizeUm: number): Promise<CalibrationFiles> {
    for (const sub of ['low', 'high', 'rejected']) await mkdir(join(directory, sub), { recursive: true });
    return new CalibrationFiles(directory, pixelSizeUm);
  }

  static pairName = (index: number): string => `${String(index).padStart(3, '0')}.tif`;

  /** Writes one raw frame as a single-plane OME-TIFF with the project's writer; answers its path relative to the folder. */
  async writeFrame(kind: 'low' | 'high', index: number, image: Image, description: string): Promise<string> {
    const path = join(this.directory, kind, CalibrationFiles.pairName(index));
    const writer = await storageStackIo.createStack(path, {
      widthPx: image.width,
      heightPx: image.height,
      planeCount: 1,
      sampleType: 'uint16',
      description,
      pixelSizeUm: this.pixelSizeUm > 0 ? this.pixelSizeUm : 1,
    });
    try {
      await writer.writePlane(image.pixels instanceof Uint16Array ? image.pixels : Uint16Array.from(image.pixels, (v) => Math.max(0, Math.min(65535, Math.round(v)))));
    } finally {
      await writer.close();
    }
    return relative(this.directory, path);
  }

  /** Moves a drifted pair out of low/ and high/ into rejected/, named by pair and attempt. */
  async reject(index: number, attempt: number): Promise<{ low: string; high: string }> {
    const moved = { low: '', high: '' };
    for (const kind of ['low', 'high'] as const) {
      const target = join('rejected', `${String(index).padStart(3, '0')}-attempt${attempt}-${kind}.tif`);
      await rename(join(this.directory, kind, CalibrationFiles.pairName(index)), join(this.directory, target));
      moved[kind] = target;
    }
    return moved;
  }

  async writeReport(report: CalibrationReport): Promise<void> {
    const path = join(this.directory, 'calibration.json');
    await writeFile(`${path}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  }
}
