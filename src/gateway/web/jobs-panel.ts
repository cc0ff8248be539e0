/// <reference lib="dom" />
import { api, ApiError } from './api';
import { row } from './datasets-panel';

/** The fields of src/jobs/job-status.ts the table shows (the page does not import the service's code). */
interface JobStatus {
  id: string;
  kind: string;
  state: string;
  chunks: Array<{ state: string; failedAttempts: number; stalls: number; error: string | null }>;
}

/** Offline jobs (GET /api/jobs): one row a job; a service without a job queue answers 404 and the table says so. */
export class JobsPanel {
  constructor(private readonly table: HTMLTableElement) {
    document.getElementById('jobs-refresh')!.addEventListener('click', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      const { jobs } = await api<{ jobs: JobStatus[] }>('GET', '/api/jobs');
      this.table.dataset.state = 'listed';
      this.table.replaceChildren(
        row('th', ['id', 'kind', 'state', 'chunks done', 'retries', 'errors']),
        ...jobs.map((job) => {
          const done = job.chunks.filter((c) => c.state === 'completed').length;
          const retries = job.chunks.reduce((sum, c) => sum + c.failedAttempts + c.stalls, 0);
          const errors = job.chunks.filter((c) => c.error).map((c) => c.error);
          return row('td', [job.id, job.kind, job.state, `${done}/${job.chunks.length}`, String(retries), errors.join('; ') || '–']);
        }),
      );
      if (jobs.length === 0) this.table.append(row('td', ['no jobs yet']));
    } catch (err) {
      const missing = err instanceof ApiError && err.status === 404;
      this.table.dataset.state = missing ? 'not-configured' : 'error';
      this.table.replaceChildren(row('td', [missing ? 'no job queue configured' : `jobs: ${(err as Error).message}`]));
    }
  }
}
