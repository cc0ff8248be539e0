/** Software autofocus: z-scans scored by a sharpness measure, for microscopes without a hardware autofocus. */
export { normalizedVariance } from './sharpness';
export { findFocusPeak, parabolaVertex, NoFocusSamplesError, type FocusSample, type FocusPeak } from './peak';
export {
  SOFTWARE_AUTOFOCUS,
  runSoftwareAutofocus,
  scanPositions,
  AutofocusOptionsError,
  type AutofocusHardware,
  type SoftwareAutofocusOptions,
  type SoftwareAutofocusResult,
} from './software-autofocus';
