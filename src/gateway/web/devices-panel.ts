/// <reference lib="dom" />
import { api, showMessage } from './api';
import { LightControl } from './light-control';

interface StagePosition {
  xy: { label: string; xUm: number; yUm: number } | null;
  z: { label: string; zUm: number } | null;
}

export interface CameraStatus {
  label: string;
  exposureMs: number | null;
  maxExposureMs: number;
  pixelSizeUm: number;
  widthPx: number | null;
  heightPx: number | null;
  live: { on: boolean; mode: string };
}

interface ConfigGroup {
  group: string;
  presets: string[];
  current: string;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const numberIn = (id: string): number => Number(byId<HTMLInputElement>(id).value);

/** The channel group's name as Micro-Manager demo and most lab configurations call it. */
export const channelGroupOf = (groups: readonly ConfigGroup[]): ConfigGroup | undefined =>
  groups.find((g) => g.group === 'Channel') ?? groups.find((g) => /channel/i.test(g.group));

/** Stage jog and go-to, focus, exposure, channel preset, snap, live, light: each a call to the REST API. */
export class DevicesPanel {
  private readonly light = new LightControl(byId('light-controls'));
  private busy = false;
  onStage?: (position: StagePosition) => void;
  onChannels?: (presets: readonly string[]) => void;

  /** Called with the light envelope's limit (%) whenever the light is read. */
  set onLightLimit(listener: (maxPowerPercent: number) => void) {
    this.light.onLimit = listener;
  }

  constructor() {
    for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('#jog button[data-dx]'))) {
      button.addEventListener('click', () => {
        const step = numberIn('jog-step');
        void this.move('xy', { xUm: Number(button.dataset.dx) * step, yUm: Number(button.dataset.dy) * step, relative: true });
      });
    }
    byId('goto-button').addEventListener('click', () => void this.move('xy', { xUm: numberIn('goto-x'), yUm: numberIn('goto-y') }));
    for (const [id, sign] of [
      ['focus-up', 1],
      ['focus-down', -1],
    ] as const) {
      byId(id).addEventListener('click', () => void this.move('z', { zUm: sign * numberIn('focus-step'), relative: true }));
    }
    byId('exposure-set').addEventListener('click', () => void this.setExposure());
    byId('channel-preset').addEventListener('change', () => void this.applyPreset());
    byId('snap').addEventListener('click', () => void this.call('POST', '/api/camera/snap'));
    byId('live-toggle').addEventListener('click', () => {
      const on = byId('live-toggle').getAttribute('aria-pressed') !== 'true';
      void this.call('POST', '/api/camera/live', { on });
    });
  }

  async refresh(): Promise<void> {
    await Promise.all([this.refreshStage(), this.refreshCamera(), this.refreshPresets(), this.light.refresh()]);
  }

  async refreshStage(): Promise<void> {
    try {
      this.showStage(await api<StagePosition>('GET', '/api/stage'));
    } catch (err) {
      byId('stage-xy-position').textContent = (err as Error).message;
    }
  }

  async camera(): Promise<CameraStatus | undefined> {
    try {
      return await api<CameraStatus>('GET', '/api/camera');
    } catch {
      return undefined;
    }
  }

  private async refreshCamera(): Promise<void> {
    const camera = await this.camera();
    if (!camera) return;
    const exposure = byId<HTMLInputElement>('exposure');
    exposure.max = String(camera.maxExposureMs);
    if (document.activeElement !== exposure && camera.exposureMs !== null) exposure.value = String(camera.exposureMs);
    byId('exposure-limit').textContent = `max ${camera.maxExposureMs} ms`;
    const toggle = byId('live-toggle');
    toggle.setAttribute('aria-pressed', String(camera.live.on));
    toggle.textContent = camera.live.on ? 'live: on' : 'live: off';
    const state = byId('live-state');
    state.dataset.mode = camera.live.mode;
    state.textContent = camera.live.mode === 'acquisition' ? 'the acquisition owns the camera' : camera.live.mode;
  }

  private async refreshPresets(): Promise<void> {
    try {
      const group = channelGroupOf(await api<ConfigGroup[]>('GET', '/api/config-groups'));
      const select = byId<HTMLSelectElement>('channel-preset');
      select.dataset.group = group?.group ?? '';
      const presets = group?.presets ?? [];
      if (select.options.length !== presets.length) {
        select.replaceChildren(...presets.map((p) => new Option(p, p)));
        this.onChannels?.(presets);
      }
      if (group?.current) select.value = group.current;
    } catch {
      // viewers without a token yet: filled in on the next refresh
    }
  }

  private showStage(position: StagePosition): void {
    const xy = byId('stage-xy-position');
    xy.textContent = position.xy ? `x ${position.xy.xUm.toFixed(2)} µm, y ${position.xy.yUm.toFixed(2)} µm` : 'no XY stage';
    xy.dataset.xUm = String(position.xy?.xUm ?? '');
    xy.dataset.yUm = String(position.xy?.yUm ?? '');
    byId('stage-z-position').textContent = position.z ? `z ${position.z.zUm.toFixed(2)} µm` : 'no focus drive';
    this.onStage?.(position);
  }

  private async move(axis: 'xy' | 'z', body: Record<string, unknown>): Promise<void> {
    // a second click while the stage still moves would queue moves the user no longer sees coming
    if (this.busy) return;
    this.busy = true;
    try {
      this.showStage(await api<StagePosition>('POST', `/api/stage/${axis}`, body));
    } catch (err) {
      showMessage((err as Error).message, false);
    } finally {
      this.busy = false;
    }
  }

  private async setExposure(): Promise<void> {
    const answer = await this.call<{ requestedMs: number; exposureMs: number }>('PUT', '/api/camera/exposure', {
      exposureMs: numberIn('exposure'),
    });
    if (answer && answer.exposureMs !== answer.requestedMs) showMessage(`exposure clamped to ${answer.exposureMs} ms`, false);
  }

  private async applyPreset(): Promise<void> {
    const select = byId<HTMLSelectElement>('channel-preset');
    await this.call('PUT', `/api/config-groups/${encodeURIComponent(select.dataset.group ?? 'Channel')}`, { preset: select.value });
    await this.light.refresh();
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    try {
      return await api<T>(method, path, body);
    } catch (err) {
      showMessage((err as Error).message, false);
      return undefined;
    } finally {
      await this.refreshCamera();
    }
  }
}
