/** One error class per failure a caller of a serial device may handle differently. */

export class SerialDeviceError extends Error {
  constructor(
    message: string,
    /** The port path (or USB id) the failure happened on. */
    readonly port: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The port could not be opened (missing path, permissions, busy). */
export class SerialPortOpenError extends SerialDeviceError {}

/** No port matched the configured USB vendor/product id, or ports cannot be listed on this machine. */
export class SerialPortNotFoundError extends SerialDeviceError {}

/** The command got no complete reply in time; the line is resynchronised before the next command. */
export class SerialReplyTimeoutError extends SerialDeviceError {
  constructor(
    readonly command: string,
    port: string,
    readonly timeoutMs: number,
    readonly partialReply: string,
  ) {
    super(
      `${command} on ${port} gave no complete reply in ${timeoutMs} ms` +
        (partialReply ? ` (received so far: ${JSON.stringify(partialReply)})` : ''),
      port,
    );
  }
}

/** A reply line that does not fit the protocol; the line is resynchronised before the next command. */
export class SerialGarbledReplyError extends SerialDeviceError {
  constructor(
    readonly command: string,
    port: string,
    readonly reply: string,
    reason: string,
  ) {
    super(`${command} on ${port}: garbled reply ${JSON.stringify(reply)} (${reason})`, port);
  }
}

/** The device understood the line and refused it (e.g. a wavelength its channel does not carry). */
export class SerialCommandRejectedError extends SerialDeviceError {
  constructor(
    readonly command: string,
    port: string,
    readonly reply: string,
  ) {
    super(`${command} on ${port} was refused by the device: ${JSON.stringify(reply)}`, port);
  }
}

/** The device is unplugged (or was never reached); commands fail fast while the driver reconnects. */
export class SerialDisconnectedError extends SerialDeviceError {}

/** Something answers on the port, but it is not the device the driver was configured for. */
export class UnexpectedSerialDeviceError extends SerialDeviceError {}

/** The driver was closed by its owner; it will not reconnect. */
export class SerialDeviceClosedError extends SerialDeviceError {}

/** A channel index or value the device cannot represent; nothing was sent. */
export class InvalidLightCommandError extends SerialDeviceError {}
