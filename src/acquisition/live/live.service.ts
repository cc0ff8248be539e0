import { Inject, Injectable, Logger } from '@nestjs/common';
import { distinctUntilChanged, share, switchMap, tap, type Observable } from 'rxjs';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { AcquisitionSettings } from '../acquisition.config';
import { HardwareService } from '../../hardware/hardware.service';
import { liveFrames } from './live-frames';
import type { Frame } from '../frame';
import { AcquisitionService } from '../service/acquisition.service';

/**
 * Live mode, shared by every viewer: the camera runs while at least one subscriber watches. While an acquisition
 * owns the camera, viewers see its frames (after the raw writer has them) and live snapping stops.
 */
@Injectable()
export class LiveService {
  private readonly logger = new Logger('Live');
  readonly frames$: Observable<Frame>;
  private framesAcquired = 0;
  private lastError?: string;

  constructor(
    private readonly hardware: HardwareService,
    @Inject(SCOPE_CONFIG) config: AcquisitionSettings,
    acquisitions: AcquisitionService,
  ) {
    const camera = hardware.liveCamera();
    const snaps$ = liveFrames({
      camera,
      maxFps: config.live.maxFps,
      pixelSizeUm: () => hardware.pixelSizeUm(),
      onError: (err) => {
        if (this.lastError !== err.message) this.logger.warn({ msg: `live snap failed: ${err.message}`, error: err.name });
        this.lastError = err.message;
      },
    }).pipe(
      tap(() => {
        this.framesAcquired++;
        this.lastError = undefined;
      }),
    );
    this.frames$ = acquisitions.running$.pipe(
      distinctUntilChanged(),
      switchMap((running) => (running ? acquisitions.frames$ : snaps$)),
      share({ resetOnRefCountZero: true }),
    );
  }

  stats() {
    return { framesAcquired: this.framesAcquired, lastError: this.lastError ?? null };
  }
}
