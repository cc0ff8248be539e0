import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, START_FAILED_ID, type HostReply, type HostRequest } from './worker-envelope';

/** A reply and the buffers to move (not copy) to the host with it. */
export interface Answer<Reply> {
  readonly body: Reply;
  readonly transfer?: ArrayBuffer[];
}

/** What a worker entry opens from its workerData: what it tells the host once ready, how it answers, how it ends. */
export interface WorkerService<Ready, Request, Reply> {
  readonly ready: Ready;
  answer(request: Request): Promise<Answer<Reply>>;
  close(): Promise<void>;
}

/** The worker side of a WorkerHost: opens the service, says it is ready (or why not), answers until asked to close. */
export function serveInWorker<Init, Ready, Request, Reply>(open: (init: Init) => Promise<WorkerService<Ready, Request, Reply>>): void {
  const port = parentPort;
  if (!port) throw new Error('a worker entry must run in a worker thread');
  const send = (message: HostReply<Ready, Reply>, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  open(workerData as Init).then(
    (service) => {
      send({ type: 'ready', info: service.ready });
      port.on('message', (request: HostRequest<Request>) => {
        if (request.type === 'close') return void service.close().finally(() => port.close());
        service.answer(request.body).then(
          ({ body, transfer }) => send({ type: 'reply', id: request.id, body }, transfer),
          (err: unknown) => send({ type: 'failed', id: request.id, ...serializeError(err) }),
        );
      });
    },
    (err: unknown) => {
      send({ type: 'failed', id: START_FAILED_ID, ...serializeError(err) });
      port.close();
    },
  );
}
