import { Injectable } from '@nestjs/common';
import { BehaviorSubject, share, type Observable } from 'rxjs';
import type {
  ImageStreamKind,
  ImageStreamRegistration,
  RecordStreamKind,
  RecordStreamRegistration,
  StreamCatalog,
  StreamImage,
  StreamRecord,
} from './stream-types';

export class InvalidStreamNameError extends Error {
  override readonly name = 'InvalidStreamNameError';
}

export class StreamNameTakenError extends Error {
  override readonly name = 'StreamNameTakenError';
}

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Where any module offers what the dashboard shows: named image streams (raw, denoised, super-resolved…) and
 * named record streams (progress, decisions, dose…). The gateway forwards whatever is registered, each client
 * at its own pace; nothing here depends on who registers. Registering answers a function that unregisters.
 */
@Injectable()
export class StreamsRegistry {
  private readonly images = new Map<string, ImageStreamRegistration>();
  private readonly records = new Map<string, RecordStreamRegistration>();
  private readonly catalogSubject = new BehaviorSubject<StreamCatalog>({ images: [], records: [] });
  /** The catalog now and whenever a stream comes or goes. */
  readonly catalog$: Observable<StreamCatalog> = this.catalogSubject.asObservable();

  registerImageStream(name: string, kind: ImageStreamKind, images$: Observable<StreamImage>, title: string = name): () => void {
    this.checkName(name);
    // One subscription upstream however many clients watch.
    this.images.set(name, { name, kind, title, images$: images$.pipe(share()) });
    this.publish();
    return () => this.unregister(this.images, name);
  }

  /** A stream's new title (a model's own name, known only once it has loaded), sent to every client. */
  retitleImageStream(name: string, title: string): void {
    const registration = this.images.get(name);
    if (!registration || registration.title === title) return;
    this.images.set(name, { ...registration, title });
    this.publish();
  }

  registerRecordStream(
    name: string,
    kind: RecordStreamKind,
    records$: Observable<StreamRecord>,
    options: { title?: string; unit?: string } = {},
  ): () => void {
    this.checkName(name);
    this.records.set(name, { name, kind, title: options.title ?? name, unit: options.unit, records$: records$.pipe(share()) });
    this.publish();
    return () => this.unregister(this.records, name);
  }

  imageStreams(): readonly ImageStreamRegistration[] {
    return [...this.images.values()];
  }

  recordStreams(): readonly RecordStreamRegistration[] {
    return [...this.records.values()];
  }

  catalog(): StreamCatalog {
    return this.catalogSubject.value;
  }

  private checkName(name: string): void {
    if (!NAME.test(name)) throw new InvalidStreamNameError(`stream name "${name}" must be lower-case letters, digits and dashes`);
    if (this.images.has(name) || this.records.has(name)) throw new StreamNameTakenError(`a stream named "${name}" is already registered`);
  }

  private unregister(map: Map<string, unknown>, name: string): void {
    if (map.delete(name)) this.publish();
  }

  private publish(): void {
    this.catalogSubject.next({
      images: [...this.images.values()].map(({ name, kind, title }) => ({ name, kind, title })),
      records: [...this.records.values()].map(({ name, kind, title, unit }) => ({ name, kind, title, unit })),
    });
  }
}
