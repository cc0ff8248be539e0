/// <reference lib="dom" />
import { api, ApiError, currentToken } from './api';

type Spread = { mean: number | null; sd: number | null; n: number };
interface EvaluationDocument {
  createdAt: string;
  seeds: number[];
  policies: Array<{ policy: string; restorer?: string; metrics: Record<string, Spread | undefined> }>;
  paretoFront?: string[];
  verdicts?: Array<{ line: string }>;
  meetsGoal?: boolean;
}

const COLUMNS: ReadonlyArray<readonly [string, string, number]> = [
  ['dose', 'dose %·s', 1],
  ['cellsAlive', 'cells alive', 1],
  ['mitosesOccurred', 'mitoses', 1],
  ['mitosesImagedFast', 'imaged fast', 1],
  ['mitosesDetected', 'detected', 1],
  ['ssim', 'SSIM', 3],
  ['ssimEvents', 'SSIM in mitoses', 3],
];

/**
 * Read-only: the latest `npm run bench -- agent` (api/agent/evaluation) as its plot and table, or a line saying
 * there is none yet.
 */
export class AgentEvaluationView {
  private plotUrl?: string;

  constructor(private readonly container: HTMLElement) {}

  async refresh(): Promise<void> {
    let evaluation: EvaluationDocument;
    try {
      evaluation = await api<EvaluationDocument>('GET', '/api/agent/evaluation');
    } catch (err) {
      this.container.dataset.state = 'none';
      this.container.textContent =
        err instanceof ApiError && err.status === 404 ? 'no agent evaluation yet: run npm run bench -- agent' : (err as Error).message;
      return;
    }
    this.container.dataset.state = 'shown';
    this.container.replaceChildren(this.heading(evaluation), await this.plot(), table(evaluation), verdicts(evaluation));
  }

  private heading(evaluation: EvaluationDocument): HTMLElement {
    const heading = document.createElement('h3');
    const goal = evaluation.meetsGoal === undefined ? '' : evaluation.meetsGoal ? ' · goal met' : ' · goal not met';
    heading.textContent = `Policies compared (${evaluation.seeds.length} seeds, ${new Date(evaluation.createdAt).toLocaleString()})${goal}`;
    return heading;
  }

  /** The SVG through fetch, so the token goes with it; shown as an image (no script of it runs). */
  private async plot(): Promise<HTMLElement> {
    const token = currentToken();
    const response = await fetch('/api/agent/evaluation.svg', { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!response.ok) {
      const missing = document.createElement('div');
      missing.textContent = `plot: ${response.status}`;
      return missing;
    }
    if (this.plotUrl) URL.revokeObjectURL(this.plotUrl);
    this.plotUrl = URL.createObjectURL(new Blob([await response.text()], { type: 'image/svg+xml' }));
    const image = document.createElement('img');
    image.id = 'agent-evaluation-plot';
    image.alt = 'dose vs SSIM during mitoses vs cells alive, per policy';
    image.src = this.plotUrl;
    image.style.maxWidth = '100%';
    return image;
  }
}

function table(evaluation: EvaluationDocument): HTMLTableElement {
  const element = document.createElement('table');
  element.id = 'agent-evaluation-table';
  const row = (cells: string[], tag: 'th' | 'td') => {
    const tr = element.insertRow();
    for (const text of cells) {
      const cell = document.createElement(tag);
      cell.textContent = text;
      tr.appendChild(cell);
    }
  };
  row(['policy', ...COLUMNS.map(([, title]) => title)], 'th');
  for (const p of evaluation.policies) {
    const front = evaluation.paretoFront?.includes(p.policy) ? ' ◆' : '';
    row([p.policy + front, ...COLUMNS.map(([metric, , digits]) => spread(p.metrics[metric], digits))], 'td');
  }
  return element;
}

function verdicts(evaluation: EvaluationDocument): HTMLElement {
  const list = document.createElement('ul');
  for (const v of evaluation.verdicts ?? []) {
    const item = document.createElement('li');
    item.textContent = v.line;
    list.appendChild(item);
  }
  return list;
}

const spread = (s: Spread | undefined, digits: number) =>
  s && typeof s.mean === 'number' ? `${s.mean.toFixed(digits)} ± ${(s.sd ?? 0).toFixed(digits)}` : '–';
