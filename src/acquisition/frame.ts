import type { PixelArray } from '../hardware/devices';

/** Position of a frame in the acquisition's axes, as useq-schema names them (t, p, g, z, c, …). */
export type FrameIndex = Readonly<Record<string, number>>;

/** A frame the camera lost (a gap in its frame numbers): its place in the plan is left blank and recorded. */
export interface DroppedFrame {
  readonly index: FrameIndex;
  /** The camera's own number of the lost frame in its sequence (Micro-Manager's ImageNumber). */
  readonly cameraImageNumber?: number;
  readonly reason: string;
}

export interface FrameMetadata {
  readonly acquisitionId: string;
  /** Running number of the frame within its acquisition, from 0. */
  readonly sequence: number;
  readonly index: FrameIndex;
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly pixelSizeUm: number;
  readonly exposureMs: number;
  readonly channel?: { readonly group: string; readonly config: string };
  /** The light the frame was taken with; its wavelength when the source reports one (e.g. for phototoxicity). */
  readonly illumination?: {
    readonly source: string;
    readonly channel: number;
    readonly powerPercent: number;
    readonly wavelengthNm?: number;
  };
  /** Where the stages reported they were for this frame. */
  readonly stage: { readonly xUm?: number; readonly yUm?: number; readonly zUm?: number };
  /** Where the plan put this frame (absent axes: the plan left them where they were). */
  readonly plannedStage?: { readonly xUm?: number; readonly yUm?: number; readonly zUm?: number };
  readonly camera: string;
  /** Wall-clock time the frame was received, ms since the epoch. */
  readonly wallTimeMs: number;
  /** Wall-clock time its event began (hardware setup, then exposure), ms since the epoch: when the plan said "now". */
  readonly eventStartWallTimeMs?: number;
  /** Camera/MMCore elapsed time, when the hardware gives one. */
  readonly hardwareTimeMs?: number;
  readonly positionName?: string;
  /** Free-form tags from the device (e.g. Micro-Manager's TaggedImage tags). */
  readonly tags?: Readonly<Record<string, unknown>>;
}

/** The unit that flows: pixels plus everything needed to interpret them. */
export interface Frame {
  readonly pixels: PixelArray;
  readonly meta: FrameMetadata;
}

/** A frame produced by a model or filter; it always links to the raw frame it came from. */
export interface DerivedFrame<M = Readonly<Record<string, unknown>>> {
  readonly kind: string;
  readonly pixels: Float32Array | Uint16Array | Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly source: FrameMetadata;
  readonly quality: M;
}
