/** A calibration that cannot be done as asked (beyond the light envelope, a budget too small, bad positions): 400. */
export class CalibrationRefusedError extends Error {
  override readonly name = 'CalibrationRefusedError';
}

export class CalibrationNotFoundError extends Error {
  override readonly name = 'CalibrationNotFoundError';
}
