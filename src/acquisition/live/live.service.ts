import { Inject, Injectable, Logger } from '@nestjs/common';
import { BehaviorSubject, combineLatest, distinctUntilChanged, EMPTY, map, share, switchMap, tap, type Observable } from 'rxjs';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { AcquisitionSettings } from '../acquisition.config';
import { HardwareService } from '../../hardware/hardware.service';
import { liveFrames } from './live-frames';
import type { Frame } from '../frame';
import { AcquisitionService } from '../service/acquisition.service';

/**
 * Live mode, shared by every viewer: the camera runs while at least one subscriber watches. While an acquisition
 * owns the camera, viewers see its frames (after the raw writer has them) and live snapping stops; while another
 * owner holds the camera (a CARE calibration), viewers see nothing and live snapping stops too.
 */
@Injectable()
export class LiveService {
  private readonly logger = new Logger('Live');
  readonly frames$: Observable<Frame>;
  private framesAcquired = 0;
  private lastError?: string;
  private readonly holders = new BehaviorSubject<ReadonlySet<string>>(new Set());

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
    const held$ = this.holders.pipe(
      map((holders) => holders.size > 0),
      distinctUntilChanged(),
    );
    this.frames$ = combineLatest([acquisitions.running$.pipe(distinctUntilChanged()), held$]).pipe(
      map(([running, held]) => (running ? 'acquisition' : held ? 'held' : 'live')),
      distinctUntilChanged(),
      switchMap((mode) => (mode === 'acquisition' ? acquisitions.frames$ : mode === 'held' ? EMPTY : snaps$)),
      share({ resetOnRefCountZero: true }),
    );
  }

  /** Stops live snapping until the returned release is called, so that `owner` alone drives the camera. */
  holdCamera(owner: string): () => void {
    this.holders.next(new Set([...this.holders.value, owner]));
    return () => this.holders.next(new Set([...this.holders.value].filter((h) => h !== owner)));
  }

  stats() {
    return { framesAcquired: this.framesAcquired, lastError: this.lastError ?? null };
  }
}
