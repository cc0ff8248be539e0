import type { ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Largest JSON body accepted: plans with thousands of positions fit. */
const JSON_LIMIT = '1mb';

interface ParserError {
  readonly type?: string;
  readonly status?: number;
  readonly message?: string;
}

/**
 * Parses JSON bodies, and answers a body that is not JSON (or too large) with a 4xx that says it is the body,
 * instead of the parser's bare message.
 */
export function useJsonBodies(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: JSON_LIMIT });
  app.use((err: ParserError | undefined, _req: unknown, res: ServerResponse, next: (err?: unknown) => void) => {
    if (!err || typeof err.status !== 'number' || err.status >= 500) return next(err);
    const problem = err.type === 'entity.too.large' ? `larger than ${JSON_LIMIT}` : `not valid JSON (${err.message ?? 'unreadable'})`;
    res.writeHead(err.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ statusCode: err.status, error: 'Bad Request', message: `body: ${problem}` }));
  });
}
