export { SerialLightSourceEmulator, type EmulatorOptions } from './emulator';
export { NO_FAULTS, type FaultSettings, type GarbleMode } from './faults';
export {
  LightStateFileReader,
  illuminationFromState,
  lightSourceStateSchema,
  readLightSourceState,
  type LightSourceChannelState,
  type LightSourceState,
  type SampleIllumination,
} from './light-state';
export { CHANNEL_WAVELENGTHS_NM } from './pe4000-model';
export { SocatUnavailableError } from './socat-pty';
