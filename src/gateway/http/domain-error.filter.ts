import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AcquisitionBusyError, AcquisitionNotFoundError } from '../../acquisition/service/acquisition.service';
import { UnsupportedCameraFormatError } from '../../acquisition/service/plan-layout';
import { InsufficientSpaceError, UnknownHardwareError } from '../../acquisition/service/preflight';
import { FieldOfViewRequiredError, PlanSyntaxError, PlanValidationError } from '../../acquisition/plans';
import { StorageWriteError } from '../../acquisition/storage';
import { HardwareNotReadyError } from '../../hardware/hardware.service';
import { BridgeError } from '../../hardware/micro-manager';
import { LightCommandRejectedError, LightLimitError } from '../../hardware/safety';
import { SerialDeviceError } from '../../hardware/serial';
import { MicroscopeBusyError, UnknownDeviceError } from '../control/hardware-errors';
import { CameraBusyError } from '../../acquisition/live/live.service';
import { CalibrationNotFoundError, CalibrationRefusedError } from '../../models/care/calibration/calibration-errors';
import { CalibrationBusyError } from '../../models/care/calibration/calibration.service';
import { TrainingDataRefusedError } from '../../models/care/jobs/training-data';
import { TrainingJobNotFoundError, TrainingJobStateError } from '../../models/care/jobs/training-jobs.service';
import { JobRequestError, JobsDisabledError, UnknownJobError } from '../../jobs/jobs-errors';

type ErrorClass = abstract new (...args: never[]) => Error;

/** What each domain error means to a client: its status, and the fields beyond the message it carries. */
const STATUS_OF: ReadonlyArray<readonly [ErrorClass, HttpStatus, (err: never) => Record<string, unknown>]> = [
  [PlanValidationError, HttpStatus.BAD_REQUEST, (err: PlanValidationError) => ({ issues: err.issues })],
  [PlanSyntaxError, HttpStatus.BAD_REQUEST, () => ({})],
  [FieldOfViewRequiredError, HttpStatus.BAD_REQUEST, () => ({})],
  [UnknownHardwareError, HttpStatus.BAD_REQUEST, () => ({})],
  [LightLimitError, HttpStatus.BAD_REQUEST, () => ({})],
  [LightCommandRejectedError, HttpStatus.BAD_REQUEST, () => ({})],
  [CalibrationRefusedError, HttpStatus.BAD_REQUEST, () => ({})],
  [TrainingDataRefusedError, HttpStatus.BAD_REQUEST, () => ({})],
  [JobRequestError, HttpStatus.BAD_REQUEST, () => ({})],
  [UnknownJobError, HttpStatus.NOT_FOUND, () => ({})],
  [JobsDisabledError, HttpStatus.NOT_FOUND, () => ({})],
  [CalibrationNotFoundError, HttpStatus.NOT_FOUND, () => ({})],
  [TrainingJobNotFoundError, HttpStatus.NOT_FOUND, () => ({})],
  [CalibrationBusyError, HttpStatus.CONFLICT, () => ({})],
  [TrainingJobStateError, HttpStatus.CONFLICT, () => ({})],
  [AcquisitionNotFoundError, HttpStatus.NOT_FOUND, () => ({})],
  [UnknownDeviceError, HttpStatus.NOT_FOUND, () => ({})],
  [AcquisitionBusyError, HttpStatus.CONFLICT, () => ({})],
  [MicroscopeBusyError, HttpStatus.CONFLICT, () => ({})],
  [CameraBusyError, HttpStatus.CONFLICT, () => ({})],
  [UnsupportedCameraFormatError, HttpStatus.CONFLICT, () => ({})],
  [HardwareNotReadyError, HttpStatus.SERVICE_UNAVAILABLE, () => ({})],
  [
    InsufficientSpaceError,
    HttpStatus.INSUFFICIENT_STORAGE,
    (err: InsufficientSpaceError) => ({ neededBytes: err.neededBytes, freeBytes: err.freeBytes }),
  ],
  [StorageWriteError, HttpStatus.INSUFFICIENT_STORAGE, (err: StorageWriteError) => ({ path: err.path })],
  // the device or its bridge failed: the request was fine, the microscope was not
  [BridgeError, HttpStatus.BAD_GATEWAY, () => ({})],
  [SerialDeviceError, HttpStatus.BAD_GATEWAY, () => ({})],
];

/** Prefixes a message with the field a client should look at, where the error names a thing the request named. */
const FIELD_OF: ReadonlyArray<readonly [ErrorClass, string]> = [
  [AcquisitionNotFoundError, 'id'],
  [CalibrationNotFoundError, 'id'],
  [TrainingJobNotFoundError, 'id'],
  [UnknownJobError, 'id'],
];

/**
 * The one place domain errors become HTTP answers: 400 for a request that cannot be done as asked, 404 for what
 * does not exist, 409 for a busy microscope, 503 while the hardware is not ready, 507 for a full disk, 502 when
 * the device failed. HttpExceptions pass as they are; anything else is a 500, logged.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(err: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const { status, body } = this.answer(err);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  private answer(err: unknown): { status: number; body: Record<string, unknown> } {
    if (err instanceof HttpException) {
      const reply = err.getResponse();
      return {
        status: err.getStatus(),
        body: typeof reply === 'string' ? { statusCode: err.getStatus(), message: reply } : (reply as Record<string, unknown>),
      };
    }
    const mapped = err instanceof Error ? STATUS_OF.find(([type]) => err instanceof type) : undefined;
    if (!mapped) {
      this.logger.error({
        msg: `unexpected error: ${(err as Error)?.message ?? String(err)}`,
        error: (err as Error)?.name,
        stack: (err as Error)?.stack,
      });
      return {
        status: 500,
        body: { statusCode: 500, error: 'Internal Server Error', message: `internal error: ${(err as Error)?.message ?? String(err)}` },
      };
    }
    const [, status, extra] = mapped;
    const error = err as Error;
    const field = FIELD_OF.find(([type]) => error instanceof type)?.[1];
    return {
      status,
      body: {
        statusCode: status,
        error: error.name,
        message: field ? `${field}: ${error.message}` : error.message,
        ...extra(error as never),
      },
    };
  }
}
