/** Worker thread building previews for the socket clients (src/gateway/streams/preview-builder.ts posts to it). */
import { serveInWorker } from '../../models/runtime/serve-in-worker';
import { buildPreview } from './build-preview';
import type { BuiltPreview, PreviewRequest } from './preview-messages';

serveInWorker<null, null, PreviewRequest, BuiltPreview>(async () => ({
  ready: null,
  answer: async (request) => {
    const built = buildPreview(request);
    const transfer = [built.data.buffer as ArrayBuffer, ...(built.overlay ? [built.overlay.buffer as ArrayBuffer] : [])];
    return { body: built, transfer };
  },
  close: async () => undefined,
}));
