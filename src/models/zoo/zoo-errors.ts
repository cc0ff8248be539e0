/** Failures of BioImage Model Zoo packages, one class per thing a caller may handle differently. */

/** The package folder or its description cannot be read or describes something this project cannot run. */
export class ZooPackageError extends Error {
  override readonly name: string = 'ZooPackageError';
  constructor(
    readonly folder: string,
    problem: string,
  ) {
    super(`Zoo package ${folder}: ${problem}`);
  }
}

/** A file's sha256 is not the one the description states: the package was altered or damaged. */
export class ZooChecksumError extends ZooPackageError {
  override readonly name = 'ZooChecksumError';
  constructor(
    folder: string,
    readonly file: string,
    expected: string,
    actual: string,
  ) {
    super(folder, `${file} has sha256 ${actual}, the description states ${expected}`);
  }
}

/** The package has weights only in formats this project cannot run (it runs ONNX). */
export class ZooWeightsFormatError extends ZooPackageError {
  override readonly name = 'ZooWeightsFormatError';
  constructor(
    folder: string,
    readonly formats: readonly string[],
  ) {
    super(folder, `has weights only as ${formats.join(', ') || 'nothing'}; this project runs onnx weights`);
  }
}

/** On load, the package's test input did not reproduce its test output within BioImage.IO's tolerance. */
export class ZooReproducibilityError extends ZooPackageError {
  override readonly name = 'ZooReproducibilityError';
}
