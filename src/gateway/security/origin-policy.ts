/**
 * Whether a browser request from `origin` may be served: our own page (same host), or an origin on the
 * allow-list. Requests without an Origin header (curl, scripts) are not browser cross-site requests.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, allowList: readonly string[]): boolean {
  if (!origin) return true;
  if (allowList.includes(origin)) return true;
  if (!hostHeader) return false;
  return origin === `http://${hostHeader}` || origin === `https://${hostHeader}`;
}
