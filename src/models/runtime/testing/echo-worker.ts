/** A worker for WorkerHost's tests: doubles numbers, fails as it is told, or crashes. */
import { serveInWorker } from '../serve-in-worker';

export interface EchoInit {
  readonly refuse?: boolean;
}

export type EchoRequest = { readonly kind: 'double'; readonly value: number } | { readonly kind: 'fail'; readonly name: string } | { readonly kind: 'crash' } | { readonly kind: 'hang' };

class EchoRefusedError extends Error {
  override readonly name = 'EchoRefusedError';
}

serveInWorker<EchoInit, { readonly greeting: string }, EchoRequest, number>(async (init) => {
  if (init.refuse) throw new EchoRefusedError('echo worker told to refuse');
  return {
    ready: { greeting: 'echo ready' },
    answer: async (request) => {
      if (request.kind === 'double') return { body: request.value * 2 };
      if (request.kind === 'fail') throw Object.defineProperty(new Error(`failed as ${request.name}`), 'name', { value: request.name });
      if (request.kind === 'crash') process.exit(3);
      return new Promise(() => undefined);
    },
    close: async () => undefined,
  };
});
