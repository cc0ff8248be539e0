/** A key or path outside the job storage, or a data set it cannot open. */
export class JobStorageError extends Error {
  override readonly name = 'JobStorageError';
}

/** A plane of the data set that cannot be read: the chunk fails with the plane named, the rest of the job goes on. */
export class ChunkInputError extends Error {
  override readonly name = 'ChunkInputError';
}

/** A chunk's result file that is not what its header says (torn, or from another job). */
export class ChunkFileError extends Error {
  override readonly name = 'ChunkFileError';
}

/** Redis settings that must not be used (no password on a reachable host, a malformed URL). */
export class RedisSettingsError extends Error {
  override readonly name = 'RedisSettingsError';
}

/** A job id no backend knows. */
export class UnknownJobError extends Error {
  override readonly name = 'UnknownJobError';
}

/** A job request that cannot run as asked (a data set outside the storage or unreadable, an unknown model): 400. */
export class JobRequestError extends Error {
  override readonly name = 'JobRequestError';
}

/** The service was configured without jobs (jobs.enabled: false). */
export class JobsDisabledError extends Error {
  override readonly name = 'JobsDisabledError';
}
