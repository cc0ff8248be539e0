import type { Random } from '../random';

/**
 * Two-state blinking with photobleaching, one step per frame: an off dye switches on with probability
 * `onRate`, an on dye switches off with probability 1/meanOnFrames and bleaches with `bleachPerOnFrame`.
 * The on-rate is chosen so that the expected number of emitters on per frame equals `targetActive`.
 */
export class DyeKinetics {
  private readonly on: Uint8Array;
  private readonly bleached: Uint8Array;
  private readonly offRate: number;
  private onRate: number;

  constructor(
    private readonly siteCount: number,
    targetActive: number,
    meanOnFrames: number,
    private readonly bleachPerOnFrame: number,
    private readonly random: Random,
  ) {
    this.on = new Uint8Array(siteCount);
    this.bleached = new Uint8Array(siteCount);
    this.offRate = Math.min(1, 1 / Math.max(1, meanOnFrames));
    const fraction = Math.min(0.9, targetActive / Math.max(1, siteCount));
    this.onRate = (fraction * this.offRate) / (1 - fraction);
    // Start in the steady state, so the first frame is as dense as the rest.
    for (let i = 0; i < siteCount; i++) this.on[i] = random.uniform() < fraction ? 1 : 0;
  }

  /** Advances one frame; returns, for each site on during the frame, the fraction of the frame it was on. */
  step(): Array<{ site: number; onFraction: number }> {
    const active: Array<{ site: number; onFraction: number }> = [];
    for (let i = 0; i < this.siteCount; i++) {
      if (this.bleached[i]) continue;
      if (this.on[i]) {
        // Switching off happens at a uniform time within the frame.
        if (this.random.uniform() < this.offRate) {
          active.push({ site: i, onFraction: this.random.range(0.1, 1) });
          this.on[i] = 0;
        } else active.push({ site: i, onFraction: 1 });
        if (this.random.uniform() < this.bleachPerOnFrame) {
          this.bleached[i] = 1;
          this.on[i] = 0;
        }
      } else if (this.random.uniform() < this.onRate) {
        this.on[i] = 1;
      }
    }
    return active;
  }
}
