/** Progress of a long command: what the CLI shows as a bar, and what tests and services can observe. */
export interface ProgressReporter {
  update(done: number, detail?: string): void;
  finish(detail?: string): void;
}

export type ProgressFactory = (label: string, total: number | undefined) => ProgressReporter;

/**
 * A one-line text progress bar on stderr: redrawn in place on a terminal, otherwise a line at every 10 % (and at
 * least every 30 s), so logs stay short.
 */
export class TextProgress implements ProgressReporter {
  private readonly startedMs = Date.now();
  private lastDecile = -1;
  private lastLineMs = 0;

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  ) {}

  update(done: number, detail = ''): void {
    const fraction = this.total ? Math.min(1, done / this.total) : undefined;
    const elapsedS = (Date.now() - this.startedMs) / 1000;
    const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] `;
    const line = `${this.label} ${bar}${this.total ? `${done}/${this.total}` : done} ${elapsedS.toFixed(1)} s ${detail}`.trimEnd();
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const decile = fraction === undefined ? Math.floor(done / 100) : Math.floor(fraction * 10);
    const now = Date.now();
    if (decile !== this.lastDecile || now - this.lastLineMs > 30_000) {
      this.lastDecile = decile;
      this.lastLineMs = now;
      this.stream.write(`${line}\n`);
    }
  }

  finish(detail = ''): void {
    if (this.stream.isTTY) this.stream.write('\n');
    this.stream.write(`${this.label} done in ${((Date.now() - this.startedMs) / 1000).toFixed(1)} s ${detail}`.trimEnd() + '\n');
  }
}

export const textProgress: ProgressFactory = (label, total) => new TextProgress(label, total);
