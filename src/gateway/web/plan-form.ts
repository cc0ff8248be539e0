/// <reference lib="dom" />

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const numberIn = (id: string): number => Number(byId<HTMLInputElement>(id).value);

export interface StagePoint {
  readonly xUm: number;
  readonly yUm: number;
  readonly zUm?: number;
}

/** "x, y[, z]" lines into useq-schema stage positions; a line that is not numbers is named. */
export function parsePositions(text: string): Array<{ x: number; y: number; z?: number }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, i) => {
      const values = line.split(/[\s,;]+/).map(Number);
      if ((values.length !== 2 && values.length !== 3) || values.some((v) => !Number.isFinite(v)))
        throw new Error(`position ${i + 1}: "${line}" is not x, y or x, y, z in µm`);
      return values.length === 3 ? { x: values[0], y: values[1], z: values[2] } : { x: values[0], y: values[1] };
    });
}

/**
 * The plan form: channels from the channel presets (exposure each), z, time, positions and the run's name, written
 * as a useq-schema MDASequence into the JSON box whenever a field changes. The box stays editable: the form only
 * overwrites it when the form itself changes.
 */
export class PlanForm {
  onPlan?: (plan: Record<string, unknown>) => void;
  currentPosition?: () => StagePoint | undefined;
  private editedByHand = false;

  constructor() {
    byId('plan').addEventListener('input', () => (this.editedByHand = true));
    const form = byId<HTMLFormElement>('plan-form');
    form.addEventListener('input', () => this.write());
    form.addEventListener('change', () => this.write());
    form.addEventListener('submit', (event) => event.preventDefault());
    byId('plan-add-position').addEventListener('click', () => {
      const here = this.currentPosition?.();
      if (!here) return;
      const box = byId<HTMLTextAreaElement>('plan-positions');
      box.value = `${box.value.trim()}\n${here.xUm}, ${here.yUm}${here.zUm === undefined ? '' : `, ${here.zUm}`}`.trim();
      this.write();
    });
    this.showModes();
  }

  /** The channel presets the plan may use (the Channel group's), each with its exposure field. */
  setChannels(presets: readonly string[]): void {
    const container = byId('plan-channels');
    container.classList.remove('muted');
    container.replaceChildren(
      ...presets.map((preset, i) => {
        const label = document.createElement('label');
        label.className = 'plan-channel';
        label.dataset.preset = preset;
        label.innerHTML = `<input type="checkbox" class="plan-channel-on" ${i === 0 ? 'checked' : ''}/> <span></span> <input type="number" class="plan-channel-exposure" value="20" min="0" step="any" aria-label="exposure ms"/> ms`;
        label.querySelector('span')!.textContent = preset;
        return label;
      }),
    );
    // presets arriving late must not overwrite a plan typed into the box meanwhile
    if (!this.editedByHand) this.write();
  }

  sequencing(): 'hardware' | 'software' {
    return byId<HTMLInputElement>('plan-hardware-sequencing').checked ? 'hardware' : 'software';
  }

  plan(): Record<string, unknown> {
    const plan: Record<string, unknown> = { metadata: { name: byId<HTMLInputElement>('plan-name').value || 'dashboard' } };
    const channels = Array.from(document.querySelectorAll<HTMLElement>('.plan-channel'))
      .filter((label) => label.querySelector<HTMLInputElement>('.plan-channel-on')!.checked)
      .map((label) => ({
        config: label.dataset.preset!,
        exposure: Number(label.querySelector<HTMLInputElement>('.plan-channel-exposure')!.value),
      }));
    if (channels.length) plan.channels = channels;
    const zMode = byId<HTMLSelectElement>('plan-z-mode').value;
    if (zMode === 'range') plan.z_plan = { range: numberIn('plan-z-range'), step: numberIn('plan-z-step') };
    if (zMode === 'top-bottom')
      plan.z_plan = { top: numberIn('plan-z-top'), bottom: numberIn('plan-z-bottom'), step: numberIn('plan-z-step') };
    const loops = numberIn('plan-loops');
    if (loops > 0) plan.time_plan = { interval: numberIn('plan-interval'), loops };
    const positionMode = byId<HTMLSelectElement>('plan-position-mode').value;
    if (positionMode === 'list') plan.stage_positions = parsePositions(byId<HTMLTextAreaElement>('plan-positions').value);
    if (positionMode === 'grid') plan.grid_plan = { rows: numberIn('plan-grid-rows'), columns: numberIn('plan-grid-columns') };
    return plan;
  }

  /** Writes the form's plan into the JSON box and hands it on; a bad field leaves the box as it was and says why. */
  write(): void {
    this.showModes();
    const status = byId('plan-form-status');
    try {
      const plan = this.plan();
      byId<HTMLTextAreaElement>('plan').value = JSON.stringify(plan, null, 2);
      this.editedByHand = false;
      status.textContent = '';
      this.onPlan?.(plan);
    } catch (err) {
      status.textContent = (err as Error).message;
    }
  }

  private showModes(): void {
    const zMode = byId<HTMLSelectElement>('plan-z-mode').value;
    for (const label of Array.from(document.querySelectorAll<HTMLElement>('[data-z]')))
      label.hidden = !label.dataset.z!.split(' ').includes(zMode);
    const positionMode = byId<HTMLSelectElement>('plan-position-mode').value;
    for (const part of Array.from(document.querySelectorAll<HTMLElement>('[data-positions]')))
      part.hidden = part.dataset.positions !== positionMode;
  }
}
