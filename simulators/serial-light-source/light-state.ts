/**
 * What the emulated light source emits, as other simulators see it. The emulator publishes this state in-process
 * (its 'state' event) and as a JSON file rewritten atomically on every change, so the Micro-Manager simulator's
 * specimen receives exactly the light that was commanded over the serial line.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const channelStateSchema = z.object({
  letter: z.string(),
  index: z.number().int().min(0).max(3),
  wavelengthNm: z.number().positive(),
  selected: z.boolean(),
  on: z.boolean(),
  intensityPercent: z.number().min(0).max(100),
  /** On, selected and above 0 %. */
  emitting: z.boolean(),
  /** Output at 100 %, mW at the sample plane. */
  maxPowerMw: z.number().nonnegative(),
  outputMw: z.number().nonnegative(),
});

export const lightSourceStateSchema = z.object({
  model: z.literal('pE-4000'),
  linkPath: z.string(),
  /** False while the emulated USB cable is pulled (the LEDs keep their state, as on the real device). */
  pluggedIn: z.boolean(),
  podEnabled: z.boolean(),
  channels: z.array(channelStateSchema).length(4),
  /** Increases with every change; lets a reader tell a new state from one it has seen. */
  sequence: z.number().int().nonnegative(),
  updatedAt: z.string(),
});

export type LightSourceChannelState = z.infer<typeof channelStateSchema>;
export type LightSourceState = z.infer<typeof lightSourceStateSchema>;

export interface SampleIllumination {
  /** Sum over emitting channels, mW. */
  readonly powerMw: number;
  /** Wavelength of the strongest emitting channel; null when dark. */
  readonly wavelengthNm: number | null;
}

export function illuminationFromState(state: LightSourceState): SampleIllumination {
  const emitting = state.channels.filter((c) => c.emitting && c.outputMw > 0);
  const strongest = emitting.reduce<LightSourceChannelState | undefined>(
    (best, c) => (!best || c.outputMw > best.outputMw ? c : best),
    undefined,
  );
  return { powerMw: emitting.reduce((sum, c) => sum + c.outputMw, 0), wavelengthNm: strongest?.wavelengthNm ?? null };
}

/** Rename is atomic on one filesystem: a reader sees the old state or the new one, never half a file. */
export function writeLightSourceState(path: string, state: LightSourceState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

export function readLightSourceState(path: string): LightSourceState {
  return lightSourceStateSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * For a reader that asks every frame (the Micro-Manager simulator): re-reads the file only when it changed and
 * reports darkness when there is no file (the emulator is not running), never stale light.
 */
export class LightStateFileReader {
  private cached?: { mtimeMs: number; size: number; state: LightSourceState };

  constructor(readonly path: string) {}

  current(): LightSourceState | undefined {
    let stat;
    try {
      stat = statSync(this.path);
    } catch {
      this.cached = undefined;
      return undefined;
    }
    if (!this.cached || this.cached.mtimeMs !== stat.mtimeMs || this.cached.size !== stat.size) {
      try {
        this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, state: readLightSourceState(this.path) };
      } catch {
        return this.cached?.state;
      }
    }
    return this.cached.state;
  }

  illumination(): SampleIllumination {
    const state = this.current();
    return state ? illuminationFromState(state) : { powerMw: 0, wavelengthNm: null };
  }
}
