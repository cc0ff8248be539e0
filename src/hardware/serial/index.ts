export { CommandChannel, type CommandChannelOptions } from './command-channel';
export * from './errors';
export { ReplyFormatError, type LineCommand } from './line-command';
export { LinePort } from './line-port';
export { CoolLedPe4000, type SerialConnectionEvent, type SerialConnectionState } from './pe4000-light-source';
export {
  PE4000_BAUD_RATE,
  PE4000_CHANNEL_LETTERS,
  PE4000_WAVELENGTHS_NM,
  parseStatusLine,
  pe4000,
  type Pe4000ChannelStatus,
  type Pe4000Versions,
} from './pe4000-protocol';
export { findPortByUsbId, listSerialPorts, type SerialPortDescription, type UsbPortMatch } from './port-discovery';
export {
  serialLightSourceConfigSchema,
  type SerialLightSourceConfig,
  type SerialLightSourceConfigInput,
} from './serial-light-source.config';
