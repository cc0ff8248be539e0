/** The input is not a time series of 2-D single-channel frames (missing, or several channels or z planes). */
export class StormInputError extends Error {
  override readonly name = 'StormInputError';
}
