/**
 * The agent bench's plot as a hand-written SVG: dose (x, log scale) against SSIM during events (y), one point per
 * policy with its seed-to-seed spread as error bars (± 1 sd), size and colour for the cells alive at the end.
 */
import type { Spread } from './agent-metrics';

export interface PlotPoint {
  readonly label: string;
  readonly dose: Spread;
  readonly ssimEvents: Spread;
  readonly cellsAlive: Spread;
  /** Drawn on the Pareto front (a filled ring around the marker). */
  readonly onFront?: boolean;
}

const W = 720;
const H = 440;
const PAD = { left: 70, right: 190, top: 36, bottom: 56 };

export function evaluationSvg(points: readonly PlotPoint[], title = 'Agent bench: dose vs quality vs survival'): string {
  const doses = points.flatMap((p) => [p.dose.mean - p.dose.sd, p.dose.mean + p.dose.sd]).filter((v) => v > 0);
  const ssims = points.flatMap((p) => [p.ssimEvents.mean - p.ssimEvents.sd, p.ssimEvents.mean + p.ssimEvents.sd]).filter(Number.isFinite);
  const alive = points.map((p) => p.cellsAlive.mean).filter(Number.isFinite);
  const logDoses = doses.length > 0 ? doses.map(Math.log10) : [0, 2];
  const [x0, x1] = padded(Math.min(...logDoses), Math.max(...logDoses), 0.08);
  const [y0, y1] = padded(Math.min(...(ssims.length > 0 ? ssims : [0])), Math.max(...(ssims.length > 0 ? ssims : [1])), 0.1);
  const [a0, a1] = [Math.min(...alive, 0), Math.max(...alive, 1)];
  const px = (dose: number) => PAD.left + ((Math.log10(Math.max(dose, 1e-6)) - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (ssim: number) => H - PAD.bottom - ((ssim - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const share = (cells: number) => (Number.isFinite(cells) && a1 > a0 ? (cells - a0) / (a1 - a0) : 0.5);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - PAD.right / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    ...axes(x0, x1, y0, y1, px, py),
  ];
  const captions = labelPlaces(
    points.map((p) => [px(p.dose.mean), Number.isFinite(p.ssimEvents.mean) ? py(p.ssimEvents.mean) : H - PAD.bottom]),
  );
  points.forEach((p, i) => {
    const hasY = Number.isFinite(p.ssimEvents.mean);
    const [cx, cy] = [px(p.dose.mean), hasY ? py(p.ssimEvents.mean) : H - PAD.bottom];
    const r = 5 + 9 * share(p.cellsAlive.mean);
    const place = captions[i];
    const colour = ramp(share(p.cellsAlive.mean));
    const bars = hasY
      ? [
          line(px(p.dose.mean - p.dose.sd), cy, px(p.dose.mean + p.dose.sd), cy),
          line(cx, py(p.ssimEvents.mean - p.ssimEvents.sd), cx, py(p.ssimEvents.mean + p.ssimEvents.sd)),
        ]
      : [];
    const caption = `${p.label} (${fmt(p.cellsAlive.mean)} alive${hasY ? '' : ', no frames in events'})`;
    parts.push(
      `<g class="policy" data-policy="${escapeXml(p.label)}">`,
      ...bars,
      p.onFront ? `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r + 3)}" fill="none" stroke="#222" stroke-dasharray="3 2"/>` : '',
      `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${hasY ? colour : 'none'}" stroke="${colour}" fill-opacity="0.8"/>`,
      `<text x="${n(place.x)}" y="${n(place.y)}" text-anchor="${place.anchor}">${escapeXml(caption)}</text>`,
      '</g>',
    );
  });
  parts.push(...legend(a0, a1), '</svg>');
  return parts.filter(Boolean).join('\n') + '\n';
}

/** Captions beside their points, to the left near the right edge, pushed apart where they would overlap. */
function labelPlaces(centres: ReadonlyArray<readonly [number, number]>): Array<{ x: number; y: number; anchor: 'start' | 'end' }> {
  const places = centres.map(([x, y]) => {
    const left = x > W - PAD.right - 150;
    return { x: left ? x - 18 : x + 18, y: y - 10, anchor: left ? ('end' as const) : ('start' as const) };
  });
  const order = places.map((_, i) => i).sort((a, b) => places[a].y - places[b].y);
  for (let k = 1; k < order.length; k++) {
    const [above, here] = [places[order[k - 1]], places[order[k]]];
    if (Math.abs(above.x - here.x) < 160 && here.y - above.y < 15) here.y = above.y + 15;
  }
  return places;
}

function axes(x0: number, x1: number, y0: number, y1: number, px: (d: number) => number, py: (s: number) => number): string[] {
  const [left, right, top, bottom] = [PAD.left, W - PAD.right, PAD.top, H - PAD.bottom];
  const out = [line(left, bottom, right, bottom), line(left, top, left, bottom)];
  for (let decade = Math.floor(x0); decade <= Math.ceil(x1); decade++) {
    for (const m of [1, 2, 5]) {
      const dose = m * 10 ** decade;
      const x = px(dose);
      if (x < left - 0.5 || x > right + 0.5) continue;
      out.push(line(x, bottom, x, bottom + 5), `<text x="${n(x)}" y="${bottom + 18}" text-anchor="middle">${fmt(dose)}</text>`);
    }
  }
  const step = niceStep((y1 - y0) / 6);
  for (let s = Math.ceil(y0 / step) * step; s <= y1 + 1e-9; s += step) {
    const y = py(s);
    out.push(line(left - 5, y, left, y), `<text x="${left - 8}" y="${n(y + 4)}" text-anchor="end">${fmt(s)}</text>`);
  }
  out.push(
    `<text x="${(left + right) / 2}" y="${H - 14}" text-anchor="middle">total dose, %·s (log scale; bars ± 1 sd over seeds)</text>`,
    `<text x="18" y="${(top + bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(top + bottom) / 2})">SSIM during mitoses (restored vs truth)</text>`,
  );
  return out;
}

function legend(a0: number, a1: number): string[] {
  const x = W - PAD.right + 24;
  const out = [`<text x="${x}" y="${PAD.top + 10}">cells alive at the end</text>`];
  [0, 0.5, 1].forEach((share, i) => {
    const y = PAD.top + 36 + i * 34;
    out.push(
      `<circle cx="${x + 12}" cy="${y}" r="${n(5 + 9 * share)}" fill="${ramp(share)}" fill-opacity="0.8"/>`,
      `<text x="${x + 32}" y="${y + 4}">${fmt(a0 + share * (a1 - a0))}</text>`,
    );
  });
  out.push(`<text x="${x}" y="${PAD.top + 150}">dashed ring: Pareto front</text>`);
  return out;
}

/** Few cells alive red, many green. */
function ramp(share: number): string {
  const hue = Math.round(120 * Math.min(1, Math.max(0, share)));
  return `hsl(${hue}, 70%, 42%)`;
}

function padded(low: number, high: number, fraction: number): [number, number] {
  const span = high - low || Math.abs(high) || 1;
  return [low - span * fraction, high + span * fraction];
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

const line = (xa: number, ya: number, xb: number, yb: number) =>
  `<line x1="${n(xa)}" y1="${n(ya)}" x2="${n(xb)}" y2="${n(yb)}" stroke="#555" stroke-width="1"/>`;
const n = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '0');
const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : '–');

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
