/**
 * Worker-thread side of a training job: trains, checkpointing into the job's folder after every epoch, so that
 * TensorFlow.js' synchronous kernels never run on the thread that receives camera frames. Answers progress and
 * cancel requests between training steps.
 */
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { serveInWorker } from '../../runtime/serve-in-worker';
import { lowerThisThreadPriority } from '../../runtime/thread-priority';
import type { CareTrainingProgress } from '../training/train-care';
import { readCheckpoint, writeCheckpoint } from './checkpoint-files';
import { runTrainingJob } from './run-training-job';
import { waitWhilePaused } from './training-pause';
import type { TrainingJobStatus } from './training-job';
import type { TrainingWorkerInit, TrainingWorkerReady, TrainingWorkerReply, TrainingWorkerRequest } from './training-worker-messages';

serveInWorker<TrainingWorkerInit, TrainingWorkerReady, TrainingWorkerRequest, TrainingWorkerReply>(async (init) => {
  const priority = lowerThisThreadPriority();
  const backend = await initTfjsBackend();
  const resumeFrom = await readCheckpoint(init.jobDir);
  const controller = new AbortController();
  let latest: CareTrainingProgress | null = null;
  const phaseHistory = (phase: 'restoration' | 'uncertainty', epochs: ReadonlyArray<TrainingJobStatus['history'][number]> | readonly Omit<TrainingJobStatus['history'][number], 'phase'>[]) =>
    epochs.map((e) => ({ ...e, phase }));
  let history: TrainingJobStatus['history'] = resumeFrom
    ? [...(resumeFrom.restoration ? phaseHistory('restoration', resumeFrom.restoration.epochs) : []), ...phaseHistory(resumeFrom.phase, resumeFrom.loop.history)]
    : [];
  return {
    ready: { backend: backend.backend, priority, resumeFrom: resumeFrom ? { phase: resumeFrom.phase, epoch: resumeFrom.loop.epoch } : null },
    answer: async (request) => {
      if (request.type === 'progress') return { body: { type: 'progress', progress: latest, history } };
      if (request.type === 'cancel') {
        controller.abort();
        return { body: { type: 'cancelling' } };
      }
      const outcome = await runTrainingJob(init.spec, {
        signal: controller.signal,
        beforeStep: waitWhilePaused(init.pause, controller.signal),
        resumeFrom,
        onProgress: (p) => (latest = p),
        onCheckpoint: async (checkpoint) => {
          await writeCheckpoint(init.jobDir, checkpoint);
          history = [
            ...(checkpoint.restoration ? phaseHistory('restoration', checkpoint.restoration.epochs) : []),
            ...phaseHistory(checkpoint.phase, checkpoint.loop.history),
          ];
        },
      });
      return { body: { type: 'trained', outcome } };
    },
    close: async () => controller.abort(),
  };
});
