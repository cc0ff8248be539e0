import { BadRequestException, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import type { DecisionJournal } from '../../agent/decision-log';
import type { DecisionRecord } from '../../agent/policy/agent-decision';

/** A page holds at most this many decisions; a larger limit is capped to it (the answer says so). */
export const MAX_DECISIONS_PAGE = 500;
const DEFAULT_DECISIONS_PAGE = 100;

const decisionsQuerySchema = z
  .object({
    acquisitionId: z.string().min(1, 'must not be empty').max(200).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a non-negative integer: the sequence number of the next decision, as nextCursor gives it')
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,9}$/, `must be an integer from 1 to ${MAX_DECISIONS_PAGE}`)
      .refine((text) => Number(text) >= 1, `must be an integer from 1 to ${MAX_DECISIONS_PAGE}`)
      .optional(),
  })
  .strict();

export interface DecisionsPage {
  readonly acquisitionId: string;
  /** Where this page starts: the sequence number of its first decision. */
  readonly cursor: string;
  /** Where the next page starts; the same cursor again asks for decisions made since (the run may go on). */
  readonly nextCursor: string;
  /** Whether decisions beyond this page exist now. */
  readonly hasMore: boolean;
  readonly limit: number;
  /** Decisions of the run so far. */
  readonly total: number;
  readonly decisions: readonly DecisionRecord[];
}

function refuse(field: string, message: string): never {
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${message}`, field });
}

/**
 * `GET api/agent/decisions?acquisitionId=&cursor=&limit=`: a run's decisions in the order they were made, from its
 * data set's decision log. The cursor is a decision's sequence number, so it stays valid however many decisions
 * follow; without acquisitionId, the latest run. 400 names the query field that is wrong, 404 an unknown run.
 */
export async function decisionsPage(journal: DecisionJournal, query: unknown): Promise<DecisionsPage> {
  const parsed = decisionsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') refuse(issue.keys.join(', '), 'unknown query field (use acquisitionId, cursor, limit)');
    const field = String(issue.path[0] ?? '(query)');
    refuse(field, issue.code === 'invalid_type' ? 'must be given once, as text' : issue.message);
  }
  const acquisitionId = parsed.data.acquisitionId ?? journal.latestRun();
  if (acquisitionId === undefined) throw new NotFoundException({ statusCode: 404, message: 'acquisitionId: no acquisition has run yet' });
  if (!(await journal.find(acquisitionId))) {
    throw new NotFoundException({
      statusCode: 404,
      message: `acquisitionId: no acquisition ${acquisitionId} in this service`,
      field: 'acquisitionId',
    });
  }
  const cursor = Number(parsed.data.cursor ?? 0);
  const limit = Math.min(MAX_DECISIONS_PAGE, Number(parsed.data.limit ?? DEFAULT_DECISIONS_PAGE));
  const total = journal.count(acquisitionId);
  if (cursor > total) refuse('cursor', `${cursor} is beyond the run's last decision (there are ${total} so far)`);
  const decisions = await journal.read(acquisitionId, cursor, limit);
  const next = cursor + decisions.length;
  return { acquisitionId, cursor: String(cursor), nextCursor: String(next), hasMore: next < total, limit, total, decisions };
}
