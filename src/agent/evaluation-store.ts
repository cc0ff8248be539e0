import { Inject, Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { SCOPE_CONFIG } from '../config/config.module';
import type { AgentSettings } from './agent.config';
import { EVALUATION_FILES } from './evaluation-files';

/** What the service relies on in the bench's document; the rest (metrics, verdicts) passes through as written. */
const evaluationSchema = z
  .object({
    bench: z.literal('agent'),
    createdAt: z.string(),
    policies: z.array(z.object({ policy: z.string() }).passthrough()).min(1),
  })
  .passthrough();

export type AgentEvaluationDocument = z.infer<typeof evaluationSchema>;

/** There is no evaluation to serve: none written yet, or the file there is not one. */
export class NoAgentEvaluationError extends Error {
  override readonly name = 'NoAgentEvaluationError';
}

/**
 * The latest evaluation of the agent against the simpler policies, as the bench left it in agent.evaluationDir:
 * read-only, read on each request (the bench may rewrite it while the service runs; it replaces files whole).
 */
@Injectable()
export class AgentEvaluationStore {
  readonly directory: string;

  constructor(@Inject(SCOPE_CONFIG) config: AgentSettings) {
    this.directory = resolve(config.agent.evaluationDir);
  }

  async table(): Promise<AgentEvaluationDocument> {
    const path = join(this.directory, EVALUATION_FILES.json);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await this.read(path));
    } catch (err) {
      if (err instanceof NoAgentEvaluationError) throw err;
      throw new NoAgentEvaluationError(`the agent evaluation ${path} is not valid JSON: ${(err as Error).message}`);
    }
    const result = evaluationSchema.safeParse(parsed);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');
      throw new NoAgentEvaluationError(`the agent evaluation ${path} is not one the bench wrote (${problems})`);
    }
    return result.data;
  }

  async plot(): Promise<string> {
    const path = join(this.directory, EVALUATION_FILES.svg);
    const svg = await this.read(path);
    if (!svg.trimStart().startsWith('<svg')) throw new NoAgentEvaluationError(`the agent evaluation plot ${path} is not an SVG`);
    return svg;
  }

  private async read(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new NoAgentEvaluationError(
        missing
          ? `no agent evaluation yet (${path}): run npm run bench -- agent`
          : `cannot read the agent evaluation ${path}: ${(err as Error).message}`,
      );
    }
  }
}
