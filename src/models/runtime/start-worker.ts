import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker entry `<directory>/<name>.ts|.js`, in the same form as the caller: compiled JavaScript as is;
 * TypeScript sources (ts-node, jest) through ts-node inside the worker, which compiles them the same way.
 */
export function startSourceWorker(directory: string, name: string, callerFile: string, workerData: unknown): Worker {
  const extension = extname(callerFile);
  const entry = join(directory, `${name}${extension}`);
  if (extension !== '.ts') return new Worker(entry, { workerData });
  return new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
