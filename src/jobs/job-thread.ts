/**
 * The service's in-process job queue runs here, in a worker thread at the lowest priority: the models' long
 * synchronous runs never hold the event loop that drives the cameras, and yield the cores to it.
 */
import { lowerThisThreadPriority } from '../models/runtime/thread-priority';
import { serveInWorker } from '../models/runtime/serve-in-worker';
import { InProcessJobBackend } from './in-process-backend';
import { FileJobStorage } from './job-storage';
import type { JobThreadInit, JobThreadReady, JobThreadReply, JobThreadRequest } from './job-thread-messages';

serveInWorker<JobThreadInit, JobThreadReady, JobThreadRequest, JobThreadReply>(async (init) => {
  const priority = lowerThisThreadPriority();
  const backend = new InProcessJobBackend(new FileJobStorage(init.root), init.attempts, init.workerName);
  return {
    ready: { priority },
    answer: async ({ spec, chunks }) => ({ body: await backend.run(spec, chunks) }),
    close: async () => {},
  };
});
