/**
 * The messages between a WorkerHost and the worker it hosts: whatever a worker computes, it says it is ready
 * (or why not), answers each request by its id, and sends failures as their name and message, since an Error's
 * class does not cross a thread boundary.
 */

export interface SerializedError {
  readonly name: string;
  readonly message: string;
}

/** The id of a failure to start, answered before any request. */
export const START_FAILED_ID = -1;

export type HostRequest<Request> = { readonly type: 'request'; readonly id: number; readonly body: Request } | { readonly type: 'close' };

export type HostReply<Ready, Reply> =
  | { readonly type: 'ready'; readonly info: Ready }
  | { readonly type: 'reply'; readonly id: number; readonly body: Reply }
  | ({ readonly type: 'failed'; readonly id: number } & SerializedError);

export const serializeError = (err: unknown): SerializedError =>
  err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
