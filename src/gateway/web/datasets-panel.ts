/// <reference lib="dom" />
import { api } from './api';
import { formatBytes } from './plan-figures';

interface DatasetEntry {
  name: string;
  modified: string;
  sizeBytes: number;
  format: string;
  files: number;
}

/** Past data sets in the service's storage directory, newest first. */
export class DatasetsPanel {
  constructor(private readonly table: HTMLTableElement) {
    document.getElementById('datasets-refresh')!.addEventListener('click', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      const { directory, datasets } = await api<{ directory: string; datasets: DatasetEntry[] }>('GET', '/api/datasets');
      this.table.dataset.count = String(datasets.length);
      this.table.replaceChildren(
        row('th', ['name', 'date', 'size', 'format']),
        ...datasets.map((d) =>
          row('td', [
            d.name,
            new Date(d.modified).toLocaleString(),
            formatBytes(d.sizeBytes),
            d.files > 1 ? `${d.format} (${d.files} files)` : d.format,
          ]),
        ),
      );
      this.table.title = directory;
      if (datasets.length === 0) this.table.append(row('td', [`no data sets in ${directory} yet`]));
    } catch (err) {
      this.table.replaceChildren(row('td', [`data sets: ${(err as Error).message}`]));
    }
  }
}

export function row(cell: 'th' | 'td', texts: readonly string[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const text of texts) {
    const element = document.createElement(cell);
    element.textContent = text;
    tr.append(element);
  }
  return tr;
}
