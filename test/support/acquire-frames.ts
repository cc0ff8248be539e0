import type { Frame } from '../../src/acquisition/frame';
import type { AcquisitionService, AcquisitionStatus, StartOptions } from '../../src/acquisition/service/acquisition.service';

/** Runs a plan on the service and collects its frames (in acquisition order) with its final status. */
export async function acquireFrames(
  service: AcquisitionService,
  plan: unknown,
  options: StartOptions = {},
): Promise<{ status: AcquisitionStatus; frames: Frame[] }> {
  const started = await service.start(plan, options);
  const frames: Frame[] = [];
  const subscription = service.frames$.subscribe((frame) => frame.meta.acquisitionId === started.acquisitionId && frames.push(frame));
  const status = await service.finished(started.acquisitionId);
  subscription.unsubscribe();
  return { status, frames: frames.sort((a, b) => a.meta.sequence - b.meta.sequence) };
}

/** Pearson correlation of two equally long series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    sa += a[i];
    sb += b[i];
    saa += a[i] * a[i];
    sbb += b[i] * b[i];
    sab += a[i] * b[i];
  }
  const n = a.length;
  return (sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
}
