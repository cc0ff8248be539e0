/** Failures of the model store, one class per thing a caller may handle differently. */

/** No model of that name in any model directory. */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}

/** A model folder exists but cannot be used: a file is missing, unreadable, altered or inconsistent. */
export class ModelFolderError extends Error {
  override readonly name = 'ModelFolderError';
  constructor(
    readonly folder: string,
    problem: string,
  ) {
    super(`model folder ${folder}: ${problem}`);
  }
}

/** An input whose shape the model does not accept. */
export class ModelInputShapeError extends Error {
  override readonly name = 'ModelInputShapeError';
}
