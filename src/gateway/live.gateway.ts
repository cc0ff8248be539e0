import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { map, share, type Observable, type Subscription } from 'rxjs';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ScopeConfig } from '../config/config.schema';
import { LiveService } from '../acquisition/live/live.service';
import { LatestWinsSender } from './latest-wins-sender';
import { makePreview } from './preview';
import type { Frame } from '../acquisition/frame';

export interface LiveFrameMessage {
  readonly acquisitionId: string;
  readonly sequence: number;
  readonly width: number;
  readonly height: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly low: number;
  readonly high: number;
  readonly exposureMs: number;
  readonly wallTimeMs: number;
  readonly pixels: Buffer;
}

/** Streams live frames to browsers as 8-bit binary previews, each client at its own pace. */
@WebSocketGateway({ cors: false })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private readonly clients = new Map<string, { sender: LatestWinsSender<LiveFrameMessage>; subscription: Subscription }>();

  /** One preview per frame, shared by every client. */
  private readonly previews$: Observable<LiveFrameMessage>;

  constructor(
    live: LiveService,
    @Inject(SCOPE_CONFIG) private readonly config: ScopeConfig,
  ) {
    this.previews$ = live.frames$.pipe(
      map((frame) => this.toMessage(frame)),
      share(),
    );
  }

  handleConnection(client: Socket): void {
    const sender = new LatestWinsSender<LiveFrameMessage>((message, acknowledged) => {
      client.timeout(10_000).emit('frame', message, () => acknowledged());
    });
    const subscription = this.previews$.subscribe((message) => sender.offer(message));
    this.clients.set(client.id, { sender, subscription });
    this.logger.log({ msg: 'live client connected', client: client.id, clients: this.clients.size });
  }

  handleDisconnect(client: Socket): void {
    const entry = this.clients.get(client.id);
    if (!entry) return;
    entry.subscription.unsubscribe();
    entry.sender.close();
    this.clients.delete(client.id);
    this.logger.log({
      msg: 'live client left',
      client: client.id,
      framesSent: entry.sender.sent,
      framesSkipped: entry.sender.dropped,
    });
  }

  onModuleDestroy(): void {
    for (const { subscription, sender } of this.clients.values()) {
      subscription.unsubscribe();
      sender.close();
    }
    this.clients.clear();
  }

  private toMessage(frame: Frame): LiveFrameMessage {
    const { meta } = frame;
    const preview = makePreview(frame.pixels, meta.width, meta.height, this.config.live.previewMaxSizePx);
    return {
      acquisitionId: meta.acquisitionId,
      sequence: meta.sequence,
      width: preview.width,
      height: preview.height,
      sourceWidth: meta.width,
      sourceHeight: meta.height,
      low: preview.low,
      high: preview.high,
      exposureMs: meta.exposureMs,
      wallTimeMs: meta.wallTimeMs,
      pixels: Buffer.from(preview.data.buffer, preview.data.byteOffset, preview.data.byteLength),
    };
  }
}
