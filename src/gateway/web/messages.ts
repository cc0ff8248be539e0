/** What the gateway sends, as the browser receives it (binary fields arrive as ArrayBuffer). */
export interface FrameMessage {
  stream: string;
  kind: 'raw' | 'denoised' | 'super-resolved' | 'other';
  acquisitionId: string;
  sequence: number;
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  low: number;
  high: number;
  exposureMs: number | null;
  pixelSizeUm: number | null;
  wallTimeMs: number;
  quality: { name: string; value: number; unit?: string } | null;
  histogram: number[];
  pixels: ArrayBuffer;
  overlay: ArrayBuffer | null;
}

export interface StreamCatalog {
  images: Array<{ name: string; kind: FrameMessage['kind']; title: string }>;
  records: Array<{ name: string; kind: 'state' | 'series' | 'log'; title: string; unit?: string }>;
}

export interface RecordsMessage {
  stream: string;
  kind: 'state' | 'series' | 'log';
  records: Array<Record<string, unknown>>;
  dropped: number;
}
