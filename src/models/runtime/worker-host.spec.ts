import { join } from 'node:path';
import type { EchoInit, EchoRequest } from './testing/echo-worker';
import { WorkerClosedError, WorkerExitedError, WorkerHost } from './worker-host';

const startEcho = (init: EchoInit = {}) =>
  WorkerHost.start<{ greeting: string }, EchoRequest, number>({
    directory: join(__dirname, 'testing'),
    entry: 'echo-worker',
    callerFile: __filename,
    workerData: init,
    label: 'echo worker',
  });

describe('WorkerHost on a real worker thread', () => {
  it('resolves once the worker says it is ready, with what it said', async () => {
    const host = await startEcho();
    try {
      expect(host.ready).toEqual({ greeting: 'echo ready' });
    } finally {
      await host.close();
    }
  });

  it('matches each reply to its request when several are in flight', async () => {
    const host = await startEcho();
    try {
      await expect(Promise.all([1, 2, 3].map((value) => host.request({ kind: 'double', value })))).resolves.toEqual([2, 4, 6]);
    } finally {
      await host.close();
    }
  });

  it('rebuilds a failure of the worker with its name and message, and goes on answering', async () => {
    const host = await startEcho();
    try {
      const failure = host.request({ kind: 'fail', name: 'ModelInputShapeError' });
      await expect(failure).rejects.toMatchObject({ name: 'ModelInputShapeError', message: 'failed as ModelInputShapeError' });
      await expect(host.request({ kind: 'double', value: 5 })).resolves.toBe(10);
    } finally {
      await host.close();
    }
  });

  it('rejects the start with the failure the worker gave instead of ready', async () => {
    await expect(startEcho({ refuse: true })).rejects.toMatchObject({ name: 'EchoRefusedError', message: 'echo worker told to refuse' });
  });

  it('rejects every waiting request, named, when the worker crashes, and refuses new ones', async () => {
    const host = await startEcho();
    const waiting = host.request({ kind: 'hang' });
    const crashed = host.request({ kind: 'crash' });
    await expect(waiting).rejects.toThrow(WorkerExitedError);
    await expect(crashed).rejects.toThrow(/echo worker exited \(code 3\) before answering/);
    await expect(host.request({ kind: 'double', value: 1 })).rejects.toThrow(WorkerClosedError);
  });
});
