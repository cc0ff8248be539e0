import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalisationCsvWriter, localisationsToCsv } from './localisation-csv';

describe('localisation tables', () => {
  const locs = [
    { frame: 0, xNm: 1234.5678, yNm: 50, photons: 2000.04, sigmaNm: 101.234, uncertaintyNm: 4.567 },
    { frame: 4, xNm: 10, yNm: 20, photons: 0, sigmaNm: 0, uncertaintyNm: Number.POSITIVE_INFINITY },
  ];

  it('writes frame (from 1), x_nm, y_nm, photons, sigma_nm, uncertainty_nm', () => {
    expect(localisationsToCsv(locs)).toBe('frame,x_nm,y_nm,photons,sigma_nm,uncertainty_nm\n1,1234.57,50.00,2000.0,101.23,4.57\n5,10.00,20.00,0.0,0.00,\n');
  });

  it('streams batches to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'locs-'));
    try {
      const writer = new LocalisationCsvWriter(join(dir, 'locs.csv'));
      writer.write(locs.slice(0, 1));
      writer.write([]);
      writer.write(locs.slice(1));
      await writer.close();
      expect(writer.written).toBe(2);
      expect(readFileSync(join(dir, 'locs.csv'), 'utf8')).toBe(localisationsToCsv(locs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
