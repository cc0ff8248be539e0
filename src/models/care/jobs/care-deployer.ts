/** Whoever runs the live CARE branch, as the training jobs see it: swaps a model folder in, answers its id. */
export interface CareDeployer {
  deployCare(modelDir: string): Promise<string>;
}

export const CARE_DEPLOYER = Symbol('CARE_DEPLOYER');
