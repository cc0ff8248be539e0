import { ConfigError } from '../config/load-config';
import { JobStorageError, RedisSettingsError, UnknownJobError } from '../jobs/jobs-errors';
import { StormInputError } from '../models/io/io-errors';
import { ModelInputShapeError, ModelNotFoundError } from '../models/store/model-errors';
import { ZooPackageError } from '../models/zoo/zoo-errors';
import { UsageError } from './usage-error';

/** The exit codes scripts and facilities rely on (78 is sysexits' EX_CONFIG, as the service uses). */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

/** Errors that mean the command line itself cannot run (its options, or the files and models it names). */
const USAGE_ERRORS = [
  UsageError,
  ModelNotFoundError,
  ZooPackageError,
  ModelInputShapeError,
  StormInputError,
  JobStorageError,
  UnknownJobError,
];

/** The one exit-code policy of every `scope` command: usage 2, configuration 78, any other failure while running 1. */
export function exitCodeFor(error: Error): number {
  if (USAGE_ERRORS.some((kind) => error instanceof kind)) return EXIT.usage;
  if (error instanceof ConfigError || error instanceof RedisSettingsError) return EXIT.config;
  return EXIT.failure;
}
