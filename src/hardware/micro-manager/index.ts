export * from './errors';
export { BridgeTransport, type ConnectionState, type TransportOptions, type TransportStats } from './transport';
export { encodeRequest, asciiJson, RequestEncodingError, type BridgeRequest, type SendableArray } from './request-encoding';
export {
  decodeReply,
  replySchema,
  ReplyFormatError,
  type DecodedReply,
  type Reply,
  type RemoteObjectReply,
  type JavaMethod,
} from './reply-decoding';
export { alignmentStats, viewArray, type PixelView, type ArrayReplyType } from './pixel-views';
export { typed, chooseOverload, type TypedArgument } from './overload-selection';
export { JavaObject, remoteObjectStats, type JavaResult, type JsonObject, type CallOptions } from './java-object';
export { readStrVector, readEnumName, readPoint2D, readTaggedImage, type PresetSetting } from './remote-readers';
export { MicroManagerCore, type MicroscopeCore, type CoreImage, type TaggedCoreImage } from './micro-manager-core';
export type { ImageGeometry, CorePixels } from './image-geometry';
export { connectMicroManager, DEFAULT_ENDPOINT, type MicroManagerConnectOptions } from './connect';
export * from './devices';
