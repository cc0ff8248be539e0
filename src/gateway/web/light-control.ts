/// <reference lib="dom" />
import { api, showMessage } from './api';
import { reapplyRole } from './operator-gate';

interface LightChannel {
  index: number;
  wavelengthNm?: number;
  on: boolean;
  powerPercent: number;
  maxPowerPercent: number;
}

interface Illumination {
  label: string;
  overLimit: 'clamp' | 'refuse';
  channels: LightChannel[];
}

/** Never more than the envelope allows: the slider snaps back to the limit before anything is sent. */
export const withinLimit = (requested: number, maxPowerPercent: number): number => Math.max(0, Math.min(requested, maxPowerPercent));

/** One row per light channel: on/off and power, the envelope's limit drawn on the slider as a red zone above it. */
export class LightControl {
  private readonly rows = new Map<number, { power: HTMLInputElement; on: HTMLInputElement; value: HTMLElement }>();
  /** Told the envelope's strictest power limit over the channels (%), each time the light is read. */
  onLimit?: (maxPowerPercent: number) => void;

  constructor(private readonly container: HTMLElement) {}

  async refresh(): Promise<void> {
    try {
      this.render(await api<Illumination>('GET', '/api/illumination'));
    } catch (err) {
      this.container.textContent = `light source: ${(err as Error).message}`;
    }
  }

  private render(light: Illumination): void {
    if (light.channels.length > 0) this.onLimit?.(Math.min(...light.channels.map((c) => c.maxPowerPercent)));
    for (const channel of light.channels) {
      const row = this.rows.get(channel.index) ?? this.createRow(light.label, channel);
      row.power.dataset.maxPowerPercent = String(channel.maxPowerPercent);
      row.power.style.setProperty('--limit', `${channel.maxPowerPercent}%`);
      if (document.activeElement !== row.power) row.power.value = String(channel.powerPercent);
      row.on.checked = channel.on;
      row.value.textContent = `${channel.powerPercent} % (limit ${channel.maxPowerPercent} %)`;
      row.value.dataset.powerPercent = String(channel.powerPercent);
    }
  }

  private createRow(label: string, channel: LightChannel): { power: HTMLInputElement; on: HTMLInputElement; value: HTMLElement } {
    const root = document.createElement('div');
    root.className = 'light-channel';
    root.dataset.channel = String(channel.index);
    const name = document.createElement('span');
    name.textContent = `${label} ${channel.wavelengthNm ? `${channel.wavelengthNm} nm` : `#${channel.index}`}`;
    const on = document.createElement('input');
    on.type = 'checkbox';
    on.className = 'light-on';
    on.title = 'light on';
    const power = document.createElement('input');
    power.type = 'range';
    power.min = '0';
    power.max = '100';
    power.step = '1';
    power.className = 'light-power';
    power.setAttribute('aria-label', `${name.textContent} power %`);
    const value = document.createElement('span');
    value.className = 'light-value';
    const limit = () => Number(power.dataset.maxPowerPercent ?? 0);
    power.addEventListener('input', () => {
      if (Number(power.value) > limit()) power.value = String(limit());
    });
    power.addEventListener('change', () => void this.send(channel.index, { powerPercent: withinLimit(Number(power.value), limit()) }));
    on.addEventListener('change', () => void this.send(channel.index, { on: on.checked }));
    root.append(name, on, power, value);
    this.container.appendChild(root);
    reapplyRole();
    const row = { power, on, value };
    this.rows.set(channel.index, row);
    return row;
  }

  private async send(index: number, command: { on?: boolean; powerPercent?: number }): Promise<void> {
    try {
      await api('PUT', `/api/illumination/channels/${index}`, command);
    } catch (err) {
      showMessage((err as Error).message, false);
    }
    await this.refresh();
  }
}
