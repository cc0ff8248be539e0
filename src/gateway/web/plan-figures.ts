/// <reference lib="dom" />

/** The figures of POST /api/plans/preview that decide whether to start: what `scope plan` prints for the same plan. */
export interface PlanSummary {
  totalFrames: number;
  estimatedDurationS: number | null;
  estimatedBytes?: number;
  freeBytes: number;
  fits: boolean | null;
  destination: string;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** Frames, duration, disk and whether it fits, each with its exact value in a data attribute. */
export function renderPlanFigures(list: HTMLElement, summary: PlanSummary, sequencing: string): void {
  const rows: Array<[string, string, string, string]> = [
    ['frames', String(summary.totalFrames), 'totalFrames', String(summary.totalFrames)],
    [
      'duration',
      summary.estimatedDurationS === null ? 'unknown' : formatDuration(summary.estimatedDurationS),
      'estimatedDurationS',
      String(summary.estimatedDurationS),
    ],
    [
      'disk',
      summary.estimatedBytes === undefined ? 'unknown (no camera)' : formatBytes(summary.estimatedBytes),
      'estimatedBytes',
      String(summary.estimatedBytes ?? ''),
    ],
    ['free', `${formatBytes(summary.freeBytes)} at ${summary.destination}`, 'freeBytes', String(summary.freeBytes)],
    ['fits', summary.fits === null ? 'unknown' : summary.fits ? 'yes' : 'NO — it will not fit', 'fits', String(summary.fits)],
    ['sequencing', sequencing, 'sequencing', sequencing],
  ];
  list.replaceChildren(
    ...rows.flatMap(([term, text, key, exact]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = text;
      dd.dataset.figure = key;
      dd.dataset.value = exact;
      if (key === 'fits' && summary.fits === false) dd.className = 'bad';
      return [dt, dd];
    }),
  );
}
