import { z } from 'zod';
import { agentParamsSchema } from './policy/agent-params';

export const agentConfigSchema = z
  .object({
    /** Steer illumination from the start; operators switch it on and off at api/agent either way. */
    enabled: z.boolean(),
    /**
     * The agent's settings (a time-lapse's own interval and length still override the interval ones per run), the
     * user's bounds among them: intervalStretchMax and maxExposureMs.
     */
    params: agentParamsSchema,
    /**
     * Where `npm run bench -- agent` writes its latest evaluation of the policies (agent-evaluation.json and .svg),
     * served read-only at api/agent/evaluation and shown on the dashboard.
     */
    evaluationDir: z.string().min(1),
  })
  .strict();

/** The sections the agent reads (the root schema composes them): its own, and the envelope's exposure limit. */
export interface AgentSettings {
  readonly agent: z.infer<typeof agentConfigSchema>;
  readonly safety: { readonly light: { readonly maxExposureMs: number } };
  /** Where runs' data sets, and beside them their decision logs, are written. */
  readonly storage: { readonly directory: string };
}
