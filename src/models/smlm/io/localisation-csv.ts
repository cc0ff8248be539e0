import { createWriteStream, type WriteStream } from 'node:fs';
import type { Localisation } from '../localisation';

/** Header of the exported localisation table (ThunderSTORM-like columns, frames counted from 1 as ImageJ does). */
export const LOCALISATION_CSV_HEADER = 'frame,x_nm,y_nm,photons,sigma_nm,uncertainty_nm';

export function localisationCsvRow(loc: Localisation): string {
  const f = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '');
  return `${loc.frame + 1},${f(loc.xNm, 2)},${f(loc.yNm, 2)},${f(loc.photons, 1)},${f(loc.sigmaNm, 2)},${f(loc.uncertaintyNm, 2)}`;
}

export function localisationsToCsv(locs: readonly Localisation[]): string {
  return [LOCALISATION_CSV_HEADER, ...locs.map(localisationCsvRow)].join('\n') + '\n';
}

/** Streams localisations to a CSV file as they are found, so long movies never hold the table in memory. */
export class LocalisationCsvWriter {
  private readonly stream: WriteStream;
  private count = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.write(`${LOCALISATION_CSV_HEADER}\n`);
  }

  write(locs: readonly Localisation[]): void {
    if (locs.length === 0) return;
    this.count += locs.length;
    this.stream.write(locs.map(localisationCsvRow).join('\n') + '\n');
  }

  get written(): number {
    return this.count;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
