import type { Socket } from 'socket.io';
import type { Subscription } from 'rxjs';
import { onNextTurn } from './on-next-turn';
import { LatestWinsSender } from '../latest-wins-sender';
import type { Principal } from '../security/principal';
import { BoundedBatchSender } from './bounded-batch-sender';
import type { ImageMessageCache } from './image-message';
import type { ImageStreamRegistration, RecordStreamRegistration, StreamImage, StreamRecord } from './stream-types';

const ACK_TIMEOUT_MS = 10_000;
const RECORD_QUEUE = 500;

interface Feed {
  readonly subscription: Subscription;
  readonly close: () => void;
  readonly stats: () => { sent: number; dropped: number };
}

/**
 * One connected socket: a feed per stream, each with its own backpressure, so a client that stops acknowledging
 * costs one pending message per stream and delays nobody else.
 */
export class SocketClient {
  private readonly feeds = new Map<string, Feed>();
  private readonly ackTimers = new Set<NodeJS.Timeout>();
  private closed = false;
  maxSizePx: number;

  constructor(
    readonly socket: Socket,
    readonly principal: Principal,
    defaultMaxSizePx: number,
    private readonly messages: ImageMessageCache,
  ) {
    this.maxSizePx = defaultMaxSizePx;
  }

  /** Starts feeds for new streams and stops those of streams that went away. */
  sync(images: readonly ImageStreamRegistration[], records: readonly RecordStreamRegistration[]): void {
    const wanted = new Set([...images.map((s) => s.name), ...records.map((s) => s.name)]);
    for (const [name, feed] of this.feeds) {
      if (!wanted.has(name)) {
        feed.close();
        this.feeds.delete(name);
      }
    }
    for (const stream of images) if (!this.feeds.has(stream.name)) this.feeds.set(stream.name, this.imageFeed(stream));
    for (const stream of records) if (!this.feeds.has(stream.name)) this.feeds.set(stream.name, this.recordFeed(stream));
  }

  close(): Record<string, { sent: number; dropped: number }> {
    this.closed = true;
    const stats: Record<string, { sent: number; dropped: number }> = {};
    for (const [name, feed] of this.feeds) {
      stats[name] = feed.stats();
      feed.close();
    }
    this.feeds.clear();
    for (const timer of this.ackTimers) clearTimeout(timer);
    this.ackTimers.clear();
    return stats;
  }

  /**
   * Emits and calls `acknowledged` on the client's ack, or after ACK_TIMEOUT_MS without one (a stalled client
   * then gets a message every 10 s). Our own timer, so closing the client leaves nothing pending.
   */
  private emitAcknowledged(event: string, message: unknown, acknowledged: () => void): void {
    const done = (): void => {
      clearTimeout(timer);
      this.ackTimers.delete(timer);
      acknowledged();
    };
    const timer = setTimeout(done, ACK_TIMEOUT_MS);
    timer.unref();
    this.ackTimers.add(timer);
    this.socket.emit(event, message, done);
  }

  private imageFeed(stream: ImageStreamRegistration): Feed {
    const sender = new LatestWinsSender<StreamImage>((image, acknowledged) => {
      this.messages.get(stream.name, stream.kind, image, this.maxSizePx).then(
        (message) => (this.closed ? acknowledged() : this.emitAcknowledged('frame', message, acknowledged)),
        () => acknowledged(),
      );
    });
    // A later macrotask: the producer (the acquisition publishing a frame) never waits for previews or sends.
    const subscription = stream.images$.pipe(onNextTurn()).subscribe({ next: (image) => sender.offer(image), error: () => undefined });
    return {
      subscription,
      close: () => {
        subscription.unsubscribe();
        sender.close();
      },
      stats: () => ({ sent: sender.sent, dropped: sender.dropped }),
    };
  }

  private recordFeed(stream: RecordStreamRegistration): Feed {
    const emit = (records: readonly StreamRecord[], dropped: number, acknowledged: () => void) =>
      this.emitAcknowledged('records', { stream: stream.name, kind: stream.kind, records, dropped }, acknowledged);
    let offer: (record: StreamRecord) => void;
    let close: () => void;
    let stats: () => { sent: number; dropped: number };
    if (stream.kind === 'state') {
      const sender = new LatestWinsSender<StreamRecord>((record, acknowledged) => emit([record], 0, acknowledged));
      offer = (record) => sender.offer(record);
      close = () => sender.close();
      stats = () => ({ sent: sender.sent, dropped: sender.dropped });
    } else {
      let sent = 0;
      const sender = new BoundedBatchSender<StreamRecord>(RECORD_QUEUE, (batch, dropped, acknowledged) => {
        sent += batch.length;
        emit(batch, dropped, acknowledged);
      });
      offer = (record) => sender.offer(record);
      close = () => sender.close();
      stats = () => ({ sent, dropped: sender.dropped });
    }
    const subscription = stream.records$.pipe(onNextTurn()).subscribe({ next: offer, error: () => undefined });
    return {
      subscription,
      close: () => {
        subscription.unsubscribe();
        close();
      },
      stats,
    };
  }
}
