import type { ReliabilityBin } from './phototox-metrics';

/** One curve of the reliability diagram. */
export interface ReliabilitySeries {
  readonly label: string;
  readonly colour: string;
  readonly bins: readonly ReliabilityBin[];
}

const SIZE = 320;
const MARGIN = 48;
const PLOT = SIZE - 2 * MARGIN;

const x = (p: number) => (MARGIN + p * PLOT).toFixed(1);
const y = (p: number) => (SIZE - MARGIN - p * PLOT).toFixed(1);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A reliability diagram as a small standalone SVG: observed frequency against mean predicted probability per bin,
 * the diagonal for perfect calibration, each point's size growing with its bin's count (the count in its tooltip).
 */
export function reliabilitySvg(title: string, series: readonly ReliabilitySeries[]): string {
  const total = (bins: readonly ReliabilityBin[]) => bins.reduce((s, b) => s + b.count, 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE + 16 * series.length}" viewBox="0 0 ${SIZE} ${SIZE + 16 * series.length}" font-family="sans-serif" font-size="10">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${SIZE / 2}" y="20" text-anchor="middle" font-size="12">${escape(title)}</text>`,
    `<rect x="${MARGIN}" y="${MARGIN}" width="${PLOT}" height="${PLOT}" fill="none" stroke="#888"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
  ];
  for (let t = 0; t <= 10; t += 2) {
    const p = t / 10;
    parts.push(`<text x="${x(p)}" y="${SIZE - MARGIN + 14}" text-anchor="middle">${p.toFixed(1)}</text>`);
    parts.push(`<text x="${MARGIN - 6}" y="${(Number(y(p)) + 3).toFixed(1)}" text-anchor="end">${p.toFixed(1)}</text>`);
  }
  parts.push(`<text x="${SIZE / 2}" y="${SIZE - 10}" text-anchor="middle">mean predicted probability</text>`);
  parts.push(`<text x="14" y="${SIZE / 2}" text-anchor="middle" transform="rotate(-90 14 ${SIZE / 2})">observed frequency</text>`);
  series.forEach((s, k) => {
    const n = Math.max(1, total(s.bins));
    const filled = s.bins.filter((b) => b.count > 0);
    const path = filled.map((b) => `${x(b.meanPredicted!)},${y(b.observedFrequency!)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="1.5"/>`);
    for (const b of filled) {
      const r = (2 + 6 * Math.sqrt(b.count / n)).toFixed(1);
      parts.push(`<circle cx="${x(b.meanPredicted!)}" cy="${y(b.observedFrequency!)}" r="${r}" fill="${s.colour}" fill-opacity="0.5"><title>${b.count} samples</title></circle>`);
    }
    parts.push(`<text x="${MARGIN}" y="${SIZE + 4 + 16 * k}" fill="${s.colour}">● ${escape(s.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
