import { readFile } from 'node:fs/promises';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { LiveModelsService } from '../src/models/live/live-models.service';
import { simulatedAppPerSuite } from './support/start-app';

// ONNX Runtime does not load inside jest's module sandbox, so the service's live branch runs the classical method
// here; Deep-STORM through the same branch is tested in src/models/smlm/live and by `scope storm` in a child process.
describe('live super-resolution on an acquisition (models.storm.live)', () => {
  const running = simulatedAppPerSuite('scope-live-storm-', {
    simulation: { cameraWidthPx: 96, cameraHeightPx: 64 },
    models: { storm: { live: true, method: 'classical', roiPx: 32 } },
  });

  it('streams a growing image of the centred region and saves it ×8 with its error map, linked to the raw data set', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const storm = running.app.get(LiveModelsService).storm;
    const sizes: number[] = [];
    const subscription = storm.output$.subscribe((image) => sizes.push(image.quality.framesUsed));
    try {
      const started = await acquisitions.start({ time_plan: { interval: 0, loops: 12 }, channels: [{ config: 'Cy5', exposure: 10 }] });
      const raw = acquisitions.dataset(started.acquisitionId);
      expect((await acquisitions.finished(started.acquisitionId)).state).toBe('finished');
      const run = await storm.settled(started.acquisitionId);
      expect(run?.error).toBeUndefined();
      expect(sizes.length).toBeGreaterThan(1);
      expect(sizes[sizes.length - 1]).toBeGreaterThan(sizes[0]);
      expect(run!.framesUsed + run!.framesSkipped).toBe(12);

      const image = await readOmeTiff(run!.path);
      const pixels = image.metadata.images[0].pixels;
      expect([pixels.sizeX, pixels.sizeY]).toEqual([256, 256]);
      expect(pixels.physicalSizeX?.value).toBeCloseTo(raw.layout.pixelSizeUm / 8, 9);
      expect(image.metadata.derivedFrom).toEqual({ path: raw.path, uuid: raw.datasetUuid });
      const errorMap = await readOmeTiff(run!.path.replace(/\.ome\.tif$/, '.error-map.ome.tif'));
      expect(errorMap.metadata.images[0].pixels.sizeX).toBe(32);
      const quality = JSON.parse(await readFile(run!.path.replace(/\.ome\.tif$/, '.quality.json'), 'utf8')) as Record<string, unknown>;
      expect(quality).toMatchObject({ method: 'classical', framesUsed: run!.framesUsed, hasErrorMap: true, source: raw.path });
    } finally {
      subscription.unsubscribe();
    }
  }, 90_000);
});
