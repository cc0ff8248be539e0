import { StormUsageError } from '../smlm/cli/storm-args';
import { StormInputError } from '../smlm/cli/storm-io';
import { ModelNotFoundError } from '../store/model-errors';
import { CareCommandUsageError } from './command-args';

/** The shape `scope` (src/cli/main.ts) runs: arguments in, exit code out. */
export type ScopeCommand = (args: readonly string[]) => Promise<number>;

/** Failures of the command line itself (options, the files or model it names): exit code 2, like a usage error. */
const USAGE_ERRORS = [CareCommandUsageError, StormUsageError, StormInputError, ModelNotFoundError];

/**
 * Runs a model command with the exit codes scripts rely on: 0 done, 2 the command line cannot run (the message
 * names the option, file or model), 1 it failed while running. Messages go to stderr prefixed by the command.
 */
function withExitCodes(name: string, run: ScopeCommand): ScopeCommand {
  return async (args) => {
    try {
      return await run(args);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      process.stderr.write(`scope ${name}: ${error.message}\n`);
      return USAGE_ERRORS.some((kind) => error instanceof kind) ? 2 : 1;
    }
  };
}

// Each command loads only its own model code (storm does not pay for CARE, nor denoise for Deep-STORM).
export const stormCommand: ScopeCommand = withExitCodes('storm', async (args) => (await import('../smlm/cli/run-storm-command')).runStormCommand(args));

export const denoiseCommand: ScopeCommand = withExitCodes('denoise', async (args) => (await import('./denoise.command')).runDenoiseCommand(args, {}));

export const trainCommand: ScopeCommand = withExitCodes('train', async (args) => {
  const [what, ...rest] = args;
  const { runTrainCareCommand, TRAIN_CARE_USAGE } = await import('./train-care.command');
  if (what === 'care') return runTrainCareCommand(rest, {});
  // Deep-STORM training is a reproducible script (simulated data, fixed seeds), not a command on user data.
  const usage = `usage: ${TRAIN_CARE_USAGE}\n(Deep-STORM is trained by \`npm run train:storm -- --out <folder>\`)`;
  throw new CareCommandUsageError(what ? `cannot train "${what}"\n${usage}` : usage);
});
