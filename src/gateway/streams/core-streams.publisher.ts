import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { filter, interval, map, type Observable } from 'rxjs';
import { LiveService } from '../../acquisition/live/live.service';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import type { Frame } from '../../acquisition/frame';
import { HardwareService } from '../../hardware/hardware.service';
import type { StreamImage, StreamRecord } from './stream-types';
import { StreamsRegistry } from './streams.registry';

const DOSE_SAMPLE_MS = 1000;

export function frameToStreamImage(frame: Frame): StreamImage {
  const { meta } = frame;
  return {
    pixels: frame.pixels,
    width: meta.width,
    height: meta.height,
    sourceSequence: meta.sequence,
    acquisitionId: meta.acquisitionId,
    wallTimeMs: meta.wallTimeMs,
    exposureMs: meta.exposureMs,
    pixelSizeUm: meta.pixelSizeUm,
  };
}

/** Registers what the layers below the gateway offer by themselves: raw frames, acquisition progress, light dose. */
@Injectable()
export class CoreStreamsPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly unregister: Array<() => void> = [];

  constructor(
    private readonly registry: StreamsRegistry,
    private readonly live: LiveService,
    private readonly acquisitions: AcquisitionService,
    private readonly hardware: HardwareService,
  ) {}

  onModuleInit(): void {
    this.unregister.push(
      this.registry.registerImageStream('raw', 'raw', this.live.frames$.pipe(map(frameToStreamImage)), 'raw'),
      this.registry.registerRecordStream(
        'acquisition',
        'state',
        this.acquisitions.lifecycle$.pipe(map((event): StreamRecord => ({ event: event.type, ...event.progress }))),
        { title: 'acquisition progress' },
      ),
      this.registry.registerRecordStream('dose', 'series', this.doseSeries(), { title: 'light dose in window', unit: '% of budget' }),
    );
  }

  onModuleDestroy(): void {
    for (const unregister of this.unregister.splice(0)) unregister();
  }

  /** The envelope's own dose ledger, sampled (memory only, no device call). */
  private doseSeries(): Observable<StreamRecord> {
    return interval(DOSE_SAMPLE_MS).pipe(
      map(() => this.hardware.light()?.doseInWindow()),
      filter((dose) => dose !== undefined && dose.budget > 0),
      map((dose) => ({
        timeMs: Date.now(),
        value: (100 * dose!.used) / dose!.budget,
        used: dose!.used,
        budget: dose!.budget,
        unit: dose!.unit,
      })),
    );
  }
}
