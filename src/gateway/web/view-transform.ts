/// <reference lib="dom" />

const MAX_ZOOM = 16;

/**
 * One zoom and pan for every pane, so that raw and a model's output always show the same field. Offsets are
 * fractions of the viewport, so panes of different sizes stay aligned.
 */
export class ViewTransform {
  zoom = 1;
  private offsetX = 0;
  private offsetY = 0;
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Zooms by `factor` keeping the point at (fx, fy) (fractions of the viewport) where it is on the screen. */
  zoomAt(factor: number, fx: number, fy: number): void {
    const zoom = Math.min(MAX_ZOOM, Math.max(1, this.zoom * factor));
    const contentX = (fx - this.offsetX) / this.zoom;
    const contentY = (fy - this.offsetY) / this.zoom;
    this.zoom = zoom;
    this.offsetX = fx - contentX * zoom;
    this.offsetY = fy - contentY * zoom;
    this.settle();
  }

  /** Pans by a move of (dx, dy) in fractions of the viewport. */
  panBy(dx: number, dy: number): void {
    this.offsetX += dx;
    this.offsetY += dy;
    this.settle();
  }

  reset(): void {
    this.zoom = 1;
    this.offsetX = this.offsetY = 0;
    this.settle();
  }

  /** The CSS transform of a view `widthPx` × `heightPx` on the screen. */
  css(widthPx: number, heightPx: number): string {
    return `translate(${this.offsetX * widthPx}px, ${this.offsetY * heightPx}px) scale(${this.zoom})`;
  }

  private settle(): void {
    // the image always covers the viewport: no panning off into the void
    this.offsetX = Math.min(0, Math.max(1 - this.zoom, this.offsetX));
    this.offsetY = Math.min(0, Math.max(1 - this.zoom, this.offsetY));
    for (const listener of this.listeners) listener();
  }
}

/** Wheel zooms about the cursor, dragging pans, a double click resets. */
export function attachZoomPan(viewport: HTMLElement, transform: ViewTransform): void {
  viewport.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = viewport.getBoundingClientRect();
      transform.zoomAt(
        Math.exp(-event.deltaY * 0.0015),
        (event.clientX - rect.left) / rect.width,
        (event.clientY - rect.top) / rect.height,
      );
    },
    { passive: false },
  );
  let last: { x: number; y: number } | undefined;
  viewport.addEventListener('pointerdown', (event) => {
    last = { x: event.clientX, y: event.clientY };
    viewport.setPointerCapture(event.pointerId);
  });
  viewport.addEventListener('pointermove', (event) => {
    if (!last) return;
    const rect = viewport.getBoundingClientRect();
    transform.panBy((event.clientX - last.x) / rect.width, (event.clientY - last.y) / rect.height);
    last = { x: event.clientX, y: event.clientY };
  });
  const end = () => (last = undefined);
  viewport.addEventListener('pointerup', end);
  viewport.addEventListener('pointercancel', end);
  viewport.addEventListener('dblclick', () => transform.reset());
}
