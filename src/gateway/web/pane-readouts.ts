/// <reference lib="dom" />
import type { FrameMessage } from './messages';

const NICE_STEPS = [1, 2, 5];

/** The longest round length (1, 2 or 5 × 10ⁿ µm) that fits in `maxPx` at `pxPerUm`. */
export function scaleBarUm(pxPerUm: number, maxPx = 120): number {
  let best = 0;
  for (let exponent = -3; exponent <= 5; exponent++) {
    for (const step of NICE_STEPS) {
      const um = step * 10 ** exponent;
      if (um * pxPerUm <= maxPx) best = um;
    }
  }
  return best;
}

/** Sizes the scale bar to what the canvas occupies on the screen now (zoom included). */
export function drawScaleBar(bar: HTMLElement, canvas: HTMLCanvasElement, message: FrameMessage | undefined): void {
  const pixelSizeUm = message?.pixelSizeUm;
  const widthOnScreen = canvas.getBoundingClientRect().width;
  bar.hidden = !message || !pixelSizeUm || widthOnScreen === 0;
  if (bar.hidden || !message || !pixelSizeUm) return;
  const pxPerUm = widthOnScreen / (message.sourceWidth * pixelSizeUm);
  const um = scaleBarUm(pxPerUm);
  bar.style.width = `${um * pxPerUm}px`;
  bar.dataset.um = String(um);
  bar.firstElementChild!.textContent = `${um >= 1000 ? `${um / 1000} mm` : `${um} µm`}`;
}

/**
 * What is under the cursor: µm from the image's top-left corner, and the raw value there as far as the 8-bit
 * preview tells it (≈: the browser never gets the raw 16-bit frame).
 */
export function readoutAt(
  canvas: HTMLCanvasElement,
  message: FrameMessage,
  clientX: number,
  clientY: number,
): { xUm: number; yUm: number; value: number; text: string } | undefined {
  const rect = canvas.getBoundingClientRect();
  const fx = (clientX - rect.left) / rect.width;
  const fy = (clientY - rect.top) / rect.height;
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return undefined;
  const pixelSizeUm = message.pixelSizeUm ?? 1;
  const xUm = fx * message.sourceWidth * pixelSizeUm;
  const yUm = fy * message.sourceHeight * pixelSizeUm;
  const grey = new Uint8Array(message.pixels)[Math.floor(fy * message.height) * message.width + Math.floor(fx * message.width)];
  const value = message.low + (grey / 255) * (message.high - message.low);
  const unit = message.pixelSizeUm ? 'µm' : 'px';
  const text = `x ${xUm.toFixed(1)} ${unit}, y ${yUm.toFixed(1)} ${unit} · value ≈ ${Math.round(value)}`;
  return { xUm, yUm, value, text };
}
