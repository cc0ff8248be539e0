import type { Role } from '../server.config';

/** Paths anyone may fetch: the page, its script and style, the API documentation. None of them reveals state. */
const PUBLIC_PATHS = [/^\/$/, /^\/index\.html$/, /^\/assets\/[\w.-]+$/, /^\/api\/docs(?:[/-].*)?$/];

/** Reads that show who did what, from where: for operators only. */
const OPERATOR_READS = [/^\/api\/audit\/?$/];

/** POSTs that only compute an answer and change nothing. */
const READ_ONLY_POSTS = [/^\/api\/plans\/preview\/?$/];

/** The role a request needs: reading is for viewers, anything that changes the microscope is for operators. */
export function requiredRole(method: string, path: string): Role | 'public' {
  const upper = method.toUpperCase();
  if ((upper === 'GET' || upper === 'HEAD') && PUBLIC_PATHS.some((p) => p.test(path))) return 'public';
  if ((upper === 'GET' || upper === 'HEAD') && OPERATOR_READS.some((p) => p.test(path))) return 'operator';
  if (upper === 'GET' || upper === 'HEAD' || upper === 'OPTIONS') return 'viewer';
  if (upper === 'POST' && READ_ONLY_POSTS.some((p) => p.test(path))) return 'viewer';
  return 'operator';
}
