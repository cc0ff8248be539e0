import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** Thrown when the machine has no Debian chromium: the browser test fails with this, it never skips silently. */
export class BrowserMissingError extends Error {
  override readonly name = 'BrowserMissingError';
}

export function chromiumPath(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new BrowserMissingError(
      `no chromium at ${CANDIDATES.join(', ')}: install Debian's chromium with \`bash scripts/install-system-deps.sh\` (npm run test:all does)`,
    );
  }
  return found;
}

/** Debian's chromium driven by playwright-core (which downloads no browser of its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
