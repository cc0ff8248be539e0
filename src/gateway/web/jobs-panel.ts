/// <reference lib="dom" />
import { api, ApiError } from './api';
import { row } from './datasets-panel';

/** The fields of src/jobs/job-status.ts the tables show (the page does not import the service's code). */
interface ChunkStatus {
  index: number;
  first: number;
  count: number;
  state: string;
  workers: string[];
  failedAttempts: number;
  stalls: number;
  error: string | null;
}

interface JobStatus {
  id: string;
  kind: string;
  backend: string;
  state: string;
  chunks: ChunkStatus[];
}

/**
 * Offline jobs (GET /api/jobs): one row a job, refreshed whenever the `jobs` stream says one changed; clicking a
 * row lists its chunks (planes, state, workers, retries, error). A service without jobs answers 404 and the table says so.
 */
export class JobsPanel {
  private selected: string | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  /** What the tables show now: a refresh that finds the same leaves the page alone (rows stay clickable). */
  private shown = '';

  constructor(
    private readonly table: HTMLTableElement,
    private readonly chunksTable: HTMLTableElement,
  ) {
    document.getElementById('jobs-refresh')!.addEventListener('click', () => void this.refresh());
  }

  /** One request at a time; a change announced meanwhile gets one more. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.load().finally(() => {
      this.refreshing = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const { jobs } = await api<{ jobs: JobStatus[] }>('GET', '/api/jobs');
      const shown = JSON.stringify([this.selected, jobs]);
      if (shown === this.shown) return;
      this.shown = shown;
      this.table.dataset.state = 'listed';
      this.table.replaceChildren(
        row('th', ['id', 'kind', 'state', 'chunks done', 'retries', 'errors']),
        ...jobs.map((job) => {
          const done = job.chunks.filter((c) => c.state === 'completed').length;
          const retries = job.chunks.reduce((sum, c) => sum + c.failedAttempts + c.stalls, 0);
          const errors = job.chunks.filter((c) => c.error).map((c) => c.error);
          const tr = row('td', [job.id, job.kind, job.state, `${done}/${job.chunks.length}`, String(retries), errors.join('; ') || '–']);
          tr.dataset.job = job.id;
          tr.dataset.state = job.state;
          tr.classList.toggle('selected', job.id === this.selected);
          tr.addEventListener('click', () => {
            this.selected = job.id;
            void this.refresh();
          });
          return tr;
        }),
      );
      if (jobs.length === 0) this.table.append(row('td', ['no jobs yet']));
      this.showChunks(jobs.find((job) => job.id === this.selected));
    } catch (err) {
      this.shown = '';
      const missing = err instanceof ApiError && err.status === 404;
      this.table.dataset.state = missing ? 'not-configured' : 'error';
      this.table.replaceChildren(row('td', [missing ? 'no job queue configured' : `jobs: ${(err as Error).message}`]));
      this.showChunks(undefined);
    }
  }

  private showChunks(job: JobStatus | undefined): void {
    this.chunksTable.hidden = !job;
    if (!job) return this.chunksTable.replaceChildren();
    this.chunksTable.dataset.job = job.id;
    this.chunksTable.replaceChildren(
      row('th', [`chunk of ${job.id} (${job.backend})`, 'planes', 'state', 'workers', 'retries', 'error']),
      ...job.chunks.map((c) => {
        const retries = `${c.failedAttempts + c.stalls} (${c.failedAttempts} failed, ${c.stalls} stalled)`;
        const tr = row('td', [
          String(c.index),
          `${c.first}–${c.first + c.count - 1}`,
          c.state,
          c.workers.join(', ') || '–',
          retries,
          c.error ?? '–',
        ]);
        tr.dataset.state = c.state;
        return tr;
      }),
    );
  }
}
