/** A one-line progress bar on stderr (redrawn in place on a terminal, a line every 10 % otherwise). */
export class ProgressBar {
  private lastDecile = -1;
  private readonly startedMs = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, detail = ''): void {
    const fraction = this.total ? Math.min(1, done / this.total) : undefined;
    const elapsedS = (Date.now() - this.startedMs) / 1000;
    const counts = this.total ? `${done}/${this.total}` : `${done}`;
    const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] `;
    const line = `${this.label} ${bar}${counts} ${elapsedS.toFixed(1)} s ${detail}`.trimEnd();
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const decile = fraction === undefined ? Math.floor(done / 100) : Math.floor(fraction * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${line}\n`);
    }
  }

  finish(detail = ''): void {
    if (this.stream.isTTY) this.stream.write('\n');
    this.stream.write(`${this.label} done in ${((Date.now() - this.startedMs) / 1000).toFixed(1)} s ${detail}\n`);
  }
}
