import { BadGatewayException, BadRequestException, ConflictException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { HardwareNotReadyError } from '../../hardware/hardware.service';
import { LightLimitError } from '../../hardware/safety';

/** A device label or property the microscope does not have: 404. */
export class UnknownDeviceError extends Error {
  override readonly name = 'UnknownDeviceError';
}

/** The request is well-formed but the microscope's state forbids it now (an acquisition owns it): 409. */
export class MicroscopeBusyError extends Error {
  override readonly name = 'MicroscopeBusyError';
}

/** Maps what the hardware layer throws to HTTP answers; anything unexpected from the device is a 502. */
export function toHttpError(err: unknown, what: string): never {
  if (err instanceof HttpException) throw err;
  if (err instanceof UnknownDeviceError) throw new NotFoundException(err.message);
  if (err instanceof MicroscopeBusyError) throw new ConflictException(err.message);
  if (err instanceof LightLimitError) throw new BadRequestException(err.message);
  if (err instanceof HardwareNotReadyError) throw new ServiceUnavailableException(err.message);
  throw new BadGatewayException(`${what} failed: ${(err as Error)?.message ?? String(err)}`);
}
