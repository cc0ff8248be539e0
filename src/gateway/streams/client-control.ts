import { z } from 'zod';

/** Messages a socket client may send; validated here, at the edge. */
export const viewMessageSchema = z
  .object({
    /** Longest side the client shows images at; the gateway sends no more pixels than that. */
    maxSizePx: z.number().int().min(32).max(4096),
  })
  .strict();

export const controlMessageSchema = z.discriminatedUnion('action', [
  z
    .object({ action: z.enum(['acquisition.pause', 'acquisition.resume', 'acquisition.cancel']), acquisitionId: z.string().min(1) })
    .strict(),
  z.object({ action: z.literal('light.allOff') }).strict(),
]);

export type ControlMessage = z.infer<typeof controlMessageSchema>;

export type ControlReply = { ok: true; result?: unknown } | { ok: false; status: number; message: string };

/** "field: problem; field: problem" for a 400-style reply naming what was wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
}
