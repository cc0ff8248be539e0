import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  EMPTY,
  map,
  share,
  Subject,
  switchMap,
  tap,
  type Observable,
  type Subscription,
} from 'rxjs';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { AcquisitionSettings } from '../acquisition.config';
import { HardwareService } from '../../hardware/hardware.service';
import { liveFrames, snapFrame, type LiveFramesOptions } from './live-frames';
import type { Frame } from '../frame';
import { AcquisitionService } from '../service/acquisition.service';

/** Who drives the camera now: live snapping, an acquisition, another owner (held), or nobody (stopped; snaps only). */
export type LiveMode = 'live' | 'acquisition' | 'held' | 'stopped';

/** A snap asked for while the camera belongs to an acquisition or another owner. */
export class CameraBusyError extends Error {
  override readonly name = 'CameraBusyError';
}

/**
 * Live mode, shared by every viewer: the camera runs while at least one subscriber watches and live is on. While an
 * acquisition owns the camera, viewers see its frames (after the raw writer has them) and live snapping stops; while
 * another owner holds the camera (a CARE calibration), viewers see nothing and live snapping stops too. With live
 * off, viewers see the frames snapped on request.
 */
@Injectable()
export class LiveService implements OnModuleDestroy {
  private readonly logger = new Logger('Live');
  readonly frames$: Observable<Frame>;
  private framesAcquired = 0;
  private lastError?: string;
  private readonly holders = new BehaviorSubject<ReadonlySet<string>>(new Set());
  private readonly liveOn = new BehaviorSubject(true);
  private readonly snapped = new Subject<Frame>();
  private readonly snapOptions: LiveFramesOptions;
  private snapSequence = 0;
  private acquiring = false;
  private readonly runningSubscription: Subscription;

  constructor(
    private readonly hardware: HardwareService,
    @Inject(SCOPE_CONFIG) config: AcquisitionSettings,
    acquisitions: AcquisitionService,
  ) {
    this.snapOptions = {
      camera: hardware.liveCamera(),
      maxFps: config.live.maxFps,
      pixelSizeUm: () => hardware.pixelSizeUm(),
      onError: (err) => {
        if (this.lastError !== err.message) this.logger.warn({ msg: `live snap failed: ${err.message}`, error: err.name });
        this.lastError = err.message;
      },
    };
    const snaps$ = liveFrames(this.snapOptions).pipe(
      tap(() => {
        this.framesAcquired++;
        this.lastError = undefined;
      }),
    );
    const held$ = this.holders.pipe(
      map((holders) => holders.size > 0),
      distinctUntilChanged(),
    );
    const mode$ = combineLatest([acquisitions.running$.pipe(distinctUntilChanged()), held$, this.liveOn]).pipe(
      map(([running, held, on]): LiveMode => (running ? 'acquisition' : held ? 'held' : on ? 'live' : 'stopped')),
      distinctUntilChanged(),
    );
    const sources: Record<LiveMode, Observable<Frame>> = {
      acquisition: acquisitions.frames$,
      held: EMPTY,
      live: snaps$,
      stopped: this.snapped,
    };
    this.frames$ = mode$.pipe(
      switchMap((mode) => sources[mode]),
      share({ resetOnRefCountZero: true }),
    );
    this.runningSubscription = acquisitions.running$.subscribe((running) => (this.acquiring = running));
  }

  onModuleDestroy(): void {
    this.runningSubscription.unsubscribe();
  }

  /** Stops live snapping until the returned release is called, so that `owner` alone drives the camera. */
  holdCamera(owner: string): () => void {
    this.holders.next(new Set([...this.holders.value, owner]));
    return () => this.holders.next(new Set([...this.holders.value].filter((h) => h !== owner)));
  }

  setLive(on: boolean): void {
    this.liveOn.next(on);
  }

  /** Live stops (as in Micro-Manager, a snap ends live mode), then one frame goes to every viewer. */
  async snap(): Promise<Frame> {
    if (this.acquiring) throw new CameraBusyError('snap refused: an acquisition owns the camera');
    if (this.holders.value.size > 0) throw new CameraBusyError(`snap refused: the camera is held by ${[...this.holders.value].join(', ')}`);
    this.liveOn.next(false);
    const frame = await snapFrame(this.snapOptions, 'snap', this.snapSequence++);
    this.framesAcquired++;
    this.snapped.next(frame);
    return frame;
  }

  status() {
    const mode: LiveMode = this.acquiring ? 'acquisition' : this.holders.value.size > 0 ? 'held' : this.liveOn.value ? 'live' : 'stopped';
    return { on: this.liveOn.value, mode };
  }

  stats() {
    return { framesAcquired: this.framesAcquired, lastError: this.lastError ?? null };
  }
}
