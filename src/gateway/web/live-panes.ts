/// <reference lib="dom" />
import type { FrameMessage, StreamCatalog } from './messages';
import { drawScaleBar, readoutAt } from './pane-readouts';
import { attachZoomPan, ViewTransform } from './view-transform';

const KIND_ORDER: Record<FrameMessage['kind'], number> = { raw: 0, denoised: 1, 'super-resolved': 2, other: 3 };

export interface Contrast {
  black: number;
  white: number;
  gamma: number;
}

interface Pane {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly overlay: HTMLCanvasElement;
  readonly quality: HTMLElement;
  readonly view: HTMLElement;
  readonly scaleBar: HTMLElement;
  readonly note: HTMLElement;
  readonly readout: HTMLElement;
  /** A super-resolved pane's SQUIRREL error map, beside its image. */
  readonly errorMap?: HTMLCanvasElement;
  last?: FrameMessage;
}

/** What each kind of model pane says when its stream does not exist, in the order the panes stand. */
const MISSING: ReadonlyArray<{ kind: FrameMessage['kind']; text: string }> = [
  { kind: 'denoised', text: 'no CARE model running (models.care.live is off, or no model is deployed)' },
  { kind: 'super-resolved', text: 'no Deep-STORM running (models.storm.live is off)' },
  { kind: 'other', text: 'no Zoo model running (models.zoo.live is off)' },
];

/** One pane per image stream, raw first, each model output beside it with its quality figure. */
export class LivePanes {
  private readonly panes = new Map<string, Pane>();
  private lut = new Uint8ClampedArray(256);
  private readonly transform = new ViewTransform();
  private readonly missing = new Map<FrameMessage['kind'], HTMLElement>();
  overlayOn = false;

  constructor(private readonly container: HTMLElement) {
    for (const { kind, text } of MISSING) {
      const note = element('div', 'pane pane-missing');
      note.dataset.kind = kind;
      note.textContent = text;
      this.missing.set(kind, note);
    }
    // The page's own raw pane (the first live page had its canvas as #live) is adopted, not rebuilt.
    const raw = container.querySelector<HTMLElement>('.pane[data-stream="raw"]');
    if (raw) this.adopt(raw);
    else this.createPane('raw', 'raw', 'raw');
    this.transform.onChange(() => {
      for (const pane of this.panes.values()) this.placeView(pane);
    });
    this.setContrast({ black: 0, white: 255, gamma: 1 });
  }

  sync(catalog: StreamCatalog): void {
    const wanted = [...catalog.images].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    for (const [name, pane] of this.panes) {
      if (!wanted.some((s) => s.name === name)) {
        pane.root.remove();
        this.panes.delete(name);
      }
    }
    for (const stream of wanted) {
      let pane = this.panes.get(stream.name);
      if (!pane) pane = this.createPane(stream.name, stream.kind, stream.title);
      // a model's own name arrives once it has loaded
      const heading = pane.root.querySelector('h3');
      if (heading) heading.textContent = `${stream.title} (${stream.kind})`;
      this.container.appendChild(pane.root);
    }
    // raw, then the model panes by kind, then a note for each kind not running: what runs stands beside raw
    const order: Element[] = [this.panes.get('raw')!.root];
    for (const { kind } of MISSING) {
      const ofKind = wanted.filter((s) => s.kind === kind).map((s) => this.panes.get(s.name)!.root);
      order.push(...ofKind);
      if (ofKind.length > 0) this.missing.get(kind)!.remove();
    }
    for (const { kind } of MISSING) if (!wanted.some((s) => s.kind === kind)) order.push(this.missing.get(kind)!);
    for (const placed of order) this.container.appendChild(placed);
  }

  show(message: FrameMessage): void {
    const pane = this.panes.get(message.stream) ?? this.createPane(message.stream, message.kind, message.stream);
    pane.last = message;
    this.draw(pane);
  }

  setContrast(contrast: Contrast): void {
    const span = Math.max(1, contrast.white - contrast.black);
    for (let v = 0; v < 256; v++) {
      const t = Math.min(1, Math.max(0, (v - contrast.black) / span));
      this.lut[v] = 255 * Math.pow(t, 1 / contrast.gamma);
    }
    for (const pane of this.panes.values()) this.draw(pane);
  }

  setOverlay(on: boolean): void {
    this.overlayOn = on;
    for (const pane of this.panes.values()) this.draw(pane);
  }

  private createPane(name: string, kind: string, title: string): Pane {
    const root = element('div', 'pane');
    root.dataset.stream = name;
    root.dataset.kind = kind;
    const heading = element('h3');
    heading.textContent = `${title} (${kind})`;
    root.append(heading);
    if (kind !== 'raw') {
      const label = element('span', 'model-label');
      label.textContent = "a model's output, not a measurement";
      root.append(label);
    }
    const viewport = element('div', 'viewport');
    const view = element('div', 'view');
    const canvas = element('canvas');
    canvas.width = canvas.height = 256;
    canvas.hidden = true;
    const overlay = element('canvas', 'overlay');
    view.append(canvas, overlay);
    const scaleBar = element('div', 'scale-bar');
    scaleBar.append(element('span'));
    scaleBar.hidden = true;
    const note = element('div', 'pane-note');
    note.textContent =
      kind === 'raw' ? 'waiting for the first frame (live off? press snap or live)' : `waiting for ${title}'s first output`;
    const quality = element('span', 'quality');
    viewport.append(view, scaleBar, note, quality);
    const readout = element('div', 'readout');
    readout.textContent = '\u00a0';
    root.append(viewport, readout);
    if (kind === 'super-resolved') {
      const figure = element('figure', 'error-map');
      const map = element('canvas');
      map.width = map.height = 64;
      const caption = element('figcaption');
      caption.textContent = 'SQUIRREL error map (bright: the image disagrees with the widefield raw)';
      figure.append(map, caption);
      figure.hidden = true;
      root.append(figure);
    }
    this.container.appendChild(root);
    return this.adopt(root);
  }

  /** Wires a pane's zoom, pan and cursor readout; its parts are found by class, as createPane and the page make them. */
  private adopt(root: HTMLElement): Pane {
    const part = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
    const canvas = part<HTMLCanvasElement>('.view canvas:not(.overlay)');
    const readout = part('.readout');
    const viewport = part('.viewport');
    const pane: Pane = {
      root,
      canvas,
      overlay: part<HTMLCanvasElement>('canvas.overlay'),
      quality: part('.quality'),
      view: part('.view'),
      scaleBar: part('.scale-bar'),
      note: part('.pane-note'),
      readout,
      errorMap: root.querySelector<HTMLCanvasElement>('.error-map canvas') ?? undefined,
    };
    attachZoomPan(viewport, this.transform);
    viewport.addEventListener('pointermove', (event) => {
      const found = pane.last && readoutAt(canvas, pane.last, event.clientX, event.clientY);
      readout.textContent = found?.text ?? '\u00a0';
      readout.dataset.xUm = found ? found.xUm.toFixed(2) : '';
      readout.dataset.yUm = found ? found.yUm.toFixed(2) : '';
    });
    this.panes.set(root.dataset.stream!, pane);
    return pane;
  }

  private placeView(pane: Pane): void {
    pane.view.style.transform = this.transform.css(pane.view.clientWidth, pane.view.clientHeight);
    drawScaleBar(pane.scaleBar, pane.canvas, pane.last);
  }

  private draw(pane: Pane): void {
    const message = pane.last;
    if (!message) return;
    const { canvas } = pane;
    if (canvas.width !== message.width || canvas.height !== message.height) {
      canvas.width = message.width;
      canvas.height = message.height;
    }
    const pixels = new Uint8Array(message.pixels);
    const image = new ImageData(message.width, message.height);
    for (let i = 0, j = 0; i < pixels.length; i++, j += 4) {
      const v = this.lut[pixels[i]];
      image.data[j] = image.data[j + 1] = image.data[j + 2] = v;
      image.data[j + 3] = 255;
    }
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    canvas.dataset.sequence = String(message.sequence);
    canvas.dataset.acquisitionId = message.acquisitionId;
    canvas.hidden = false;
    pane.note.hidden = true;
    this.placeView(pane);
    pane.quality.textContent = message.quality
      ? `${message.quality.name} ${message.quality.value.toFixed(2)}${message.quality.unit ?? ''}`
      : '';
    pane.quality.hidden = !this.overlayOn && message.kind === 'raw';
    this.drawOverlay(pane, message);
    if (pane.errorMap && message.overlay) drawErrorMap(pane.errorMap, message);
  }

  private drawOverlay(pane: Pane, message: FrameMessage): void {
    const { overlay } = pane;
    overlay.hidden = !this.overlayOn || !message.overlay;
    if (overlay.hidden || !message.overlay) return;
    overlay.width = message.width;
    overlay.height = message.height;
    const map = new Uint8Array(message.overlay);
    const image = new ImageData(message.width, message.height);
    for (let i = 0, j = 0; i < map.length; i++, j += 4) {
      image.data[j] = map[i];
      image.data[j + 2] = map[i];
      image.data[j + 3] = 255;
    }
    overlay.getContext('2d')!.putImageData(image, 0, 0);
  }
}

/** The quality map as grey pixels in a canvas of its own (the sequence it belongs to in data-sequence). */
function drawErrorMap(canvas: HTMLCanvasElement, message: FrameMessage): void {
  const map = new Uint8Array(message.overlay!);
  canvas.width = message.width;
  canvas.height = message.height;
  const image = new ImageData(message.width, message.height);
  for (let i = 0, j = 0; i < map.length; i++, j += 4) {
    image.data[j] = image.data[j + 1] = image.data[j + 2] = map[i];
    image.data[j + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  canvas.dataset.sequence = String(message.sequence);
  canvas.parentElement!.hidden = false;
}

export function drawHistogram(canvas: HTMLCanvasElement, bins: readonly number[], contrast: Contrast): void {
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const peak = Math.max(1, ...bins.map((b) => Math.log1p(b)));
  const barWidth = canvas.width / bins.length;
  context.fillStyle = '#6a9';
  bins.forEach((count, i) => {
    const h = (Math.log1p(count) / peak) * canvas.height;
    context.fillRect(i * barWidth, canvas.height - h, Math.max(1, barWidth - 1), h);
  });
  context.fillStyle = '#e77';
  context.fillRect((contrast.black / 255) * canvas.width, 0, 1, canvas.height);
  context.fillRect((contrast.white / 255) * canvas.width - 1, 0, 1, canvas.height);
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  return created;
}
