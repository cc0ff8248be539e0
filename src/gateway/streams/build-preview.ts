import { makePreview } from '../preview';
import type { BuiltPreview, PreviewRequest } from './preview-messages';

const HISTOGRAM_BINS = 64;

function histogramOf(data: Uint8Array): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const shift = Math.log2(256 / HISTOGRAM_BINS);
  for (let i = 0; i < data.length; i++) bins[data[i] >> shift]++;
  return bins;
}

/** The preview of an image and of its quality map at the same longest side, so the two line up on the page. */
export function buildPreview({ pixels, width, height, maxSizePx, qualityMap }: PreviewRequest): BuiltPreview {
  const preview = makePreview(pixels, width, height, maxSizePx);
  const overlay = qualityMap
    ? makePreview(qualityMap.pixels, qualityMap.width, qualityMap.height, Math.max(preview.width, preview.height)).data
    : null;
  return { ...preview, histogram: histogramOf(preview.data), overlay };
}
