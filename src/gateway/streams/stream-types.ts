import type { Observable } from 'rxjs';

/** Pixels of any image stream: raw camera counts or a model's output. */
export type StreamPixels = Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/** What the page does with a stream: raw beside the model outputs, each with its quality figure. */
export type ImageStreamKind = 'raw' | 'denoised' | 'super-resolved' | 'other';

export interface QualityFigure {
  /** e.g. "SNR", "PSNR", "uncertainty". */
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
}

export interface StreamImage {
  readonly pixels: StreamPixels;
  readonly width: number;
  readonly height: number;
  /** Sequence number of the raw frame this image is (or derives from): lines up the panes. */
  readonly sourceSequence: number;
  readonly acquisitionId?: string;
  /** When the source frame was acquired (ms since epoch): the clock frame-to-client latency is measured from. */
  readonly wallTimeMs?: number;
  readonly exposureMs?: number;
  /** Size of one of these pixels on the sample, when known (the scale bar is drawn from it). */
  readonly pixelSizeUm?: number;
  readonly quality?: QualityFigure;
  /** The model that made a derived image (absent for raw frames). */
  readonly modelId?: string;
  /** Optional per-pixel quality (e.g. uncertainty), shown as an overlay the viewer can toggle. */
  readonly qualityMap?: { readonly pixels: StreamPixels; readonly width: number; readonly height: number };
}

/**
 * state: only the latest value matters (progress, device state) — latest wins.
 * series: numeric points over time for plots (dose, predicted phototoxicity, SNR) — batched, bounded.
 * log: events to list (agent decisions) — batched, bounded.
 */
export type RecordStreamKind = 'state' | 'series' | 'log';

/** A point of a series stream. */
export interface SeriesPoint {
  readonly timeMs: number;
  readonly value: number;
}

/** A JSON-serialisable record. */
export type StreamRecord = { readonly [key: string]: unknown };

export interface ImageStreamRegistration {
  readonly name: string;
  readonly kind: ImageStreamKind;
  readonly title: string;
  readonly images$: Observable<StreamImage>;
}

export interface RecordStreamRegistration {
  readonly name: string;
  readonly kind: RecordStreamKind;
  readonly title: string;
  /** For series: the unit of `value`, shown on the plot. */
  readonly unit?: string;
  readonly records$: Observable<StreamRecord>;
}

/** What clients are told exists. */
export interface StreamCatalog {
  readonly images: ReadonlyArray<{ name: string; kind: ImageStreamKind; title: string }>;
  readonly records: ReadonlyArray<{ name: string; kind: RecordStreamKind; title: string; unit?: string }>;
}
