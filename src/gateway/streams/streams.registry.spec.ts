import { Subject } from 'rxjs';
import { InvalidStreamNameError, StreamNameTakenError, StreamsRegistry } from './streams.registry';
import type { StreamCatalog } from './stream-types';

describe('streams registry', () => {
  it('publishes the catalog as streams come and go, refusing duplicate and malformed names', () => {
    const registry = new StreamsRegistry();
    const catalogs: StreamCatalog[] = [];
    registry.catalog$.subscribe((c) => catalogs.push(c));
    const off = registry.registerImageStream('denoised', 'denoised', new Subject(), 'CARE');
    registry.registerRecordStream('phototoxicity', 'series', new Subject(), { unit: 'a.u.' });
    expect(() => registry.registerImageStream('denoised', 'other', new Subject())).toThrow(StreamNameTakenError);
    expect(() => registry.registerImageStream('Bad Name', 'other', new Subject())).toThrow(InvalidStreamNameError);
    expect(catalogs.at(-1)).toEqual({
      images: [{ name: 'denoised', kind: 'denoised', title: 'CARE' }],
      records: [{ name: 'phototoxicity', kind: 'series', title: 'phototoxicity', unit: 'a.u.' }],
    });
    off();
    expect(catalogs.at(-1)!.images).toEqual([]);
  });

  it('retitles a registered image stream once, and ignores streams it does not hold', () => {
    const registry = new StreamsRegistry();
    const catalogs: StreamCatalog[] = [];
    registry.registerImageStream('zoo', 'other', new Subject(), 'unet2d-nuclei-broad');
    registry.catalog$.subscribe((c) => catalogs.push(c));
    registry.retitleImageStream('zoo', 'UNet 2D Nuclei Broad');
    registry.retitleImageStream('zoo', 'UNet 2D Nuclei Broad');
    registry.retitleImageStream('absent', 'anything');
    expect(catalogs.map((c) => c.images[0].title)).toEqual(['unet2d-nuclei-broad', 'UNet 2D Nuclei Broad']);
  });
});
