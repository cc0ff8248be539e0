/** A device label or property the microscope does not have: 404. */
export class UnknownDeviceError extends Error {
  override readonly name = 'UnknownDeviceError';
}

/** The request is well-formed but the microscope's state forbids it now (an acquisition owns it): 409. */
export class MicroscopeBusyError extends Error {
  override readonly name = 'MicroscopeBusyError';
}
