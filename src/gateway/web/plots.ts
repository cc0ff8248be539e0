/// <reference lib="dom" />
const MAX_POINTS = 600;

interface Series {
  readonly canvas: HTMLCanvasElement;
  readonly label: HTMLElement;
  readonly title: string;
  readonly unit: string;
  readonly points: Array<{ timeMs: number; value: number }>;
}

/** A small line plot per series stream (dose, predicted phototoxicity, SNR…), last 600 points. */
export class Plots {
  private readonly series = new Map<string, Series>();

  constructor(private readonly container: HTMLElement) {}

  ensure(name: string, title: string, unit = ''): void {
    if (this.series.has(name)) return;
    document.getElementById('plots-empty')?.remove();
    const root = document.createElement('div');
    root.className = 'plot';
    root.dataset.stream = name;
    const label = document.createElement('h3');
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 120;
    root.append(label, canvas);
    this.container.appendChild(root);
    this.series.set(name, { canvas, label, title, unit, points: [] });
    label.textContent = title;
  }

  add(name: string, records: ReadonlyArray<Record<string, unknown>>): void {
    const series = this.series.get(name);
    if (!series) return;
    for (const record of records) {
      const timeMs = Number(record.timeMs);
      const value = Number(record.value);
      if (Number.isFinite(timeMs) && Number.isFinite(value)) series.points.push({ timeMs, value });
    }
    if (series.points.length > MAX_POINTS) series.points.splice(0, series.points.length - MAX_POINTS);
    this.draw(series);
  }

  private draw(series: Series): void {
    const { canvas, points } = series;
    const context = canvas.getContext('2d')!;
    context.clearRect(0, 0, canvas.width, canvas.height);
    if (points.length === 0) return;
    const last = points[points.length - 1];
    series.label.textContent = `${series.title}: ${last.value.toPrecision(3)} ${series.unit}`;
    const t0 = points[0].timeMs;
    const t1 = Math.max(t0 + 1, last.timeMs);
    let low = Math.min(...points.map((p) => p.value));
    let high = Math.max(...points.map((p) => p.value));
    if (high === low) [low, high] = [low - 1, high + 1];
    context.strokeStyle = '#6cf';
    context.beginPath();
    points.forEach((p, i) => {
      const x = ((p.timeMs - t0) / (t1 - t0)) * (canvas.width - 4) + 2;
      const y = canvas.height - 2 - ((p.value - low) / (high - low)) * (canvas.height - 4);
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.stroke();
  }
}
