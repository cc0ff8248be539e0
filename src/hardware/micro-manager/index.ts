export * from './errors';
export { BridgeTransport, type ConnectionState, type TransportOptions } from './transport';
export { JavaObject, typed, alignmentStats, type JavaResult, type PixelView } from './java-object';
export {
  MicroManagerCore,
  connectMicroManager,
  DEFAULT_ENDPOINT,
  type CoreImage,
  type TaggedCoreImage,
  type ImageGeometry,
  type PropertyLimits,
  type MicroManagerConnectOptions,
} from './micro-manager-core';
export * from './devices';
