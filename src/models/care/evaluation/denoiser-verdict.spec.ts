import type { MethodScore } from './compare-denoisers';
import { denoiserVerdict, VerdictError } from './denoiser-verdict';

const row = (method: string, psnrDb: number, setting?: string): MethodScore => ({ method, psnrDb, ssim: psnrDb / 40, nrmse: 10 ** (-psnrDb / 20), ...(setting ? { setting } : {}) });

describe('denoiserVerdict', () => {
  const classical = [row('raw', 19), row('gaussian', 27.3, 'sigma 2 px'), row('median', 24), row('nlm', 27.9, 'h 0.8·sigma')];

  it('picks the best classical method and its setting, and passes a model 1 dB above it', () => {
    const v = denoiserVerdict([...classical, row('care', 29.0)]);
    expect(v.beatsClassical).toBe(true);
    expect(v.bestClassical).toEqual(expect.objectContaining({ method: 'nlm', setting: 'h 0.8·sigma', psnrDb: 27.9 }));
    expect(v.marginDb).toBeCloseTo(1.1, 6);
    expect(v.label).toMatch(/^beats the best classical method, nlm \(h 0.8·sigma\), by 1.10 dB/);
  });

  it('labels a model that wins by less than the margin as not beating it, and one that loses', () => {
    const close = denoiserVerdict([...classical, row('care', 28.5)]);
    expect(close.beatsClassical).toBe(false);
    expect(close.label).toMatch(/does not beat the best classical method by 1 dB.*only 0.60 dB worse; not deployed automatically/);
    const worse = denoiserVerdict([...classical, row('care', 25.28)]);
    expect(worse.beatsClassical).toBe(false);
    expect(worse.marginDb).toBeCloseTo(-2.62, 6);
    expect(worse.label).toMatch(/nlm \(h 0.8·sigma\) is 2.62 dB better/);
    expect(denoiserVerdict([...classical, row('care', 28.5)], 0.5).beatsClassical).toBe(true);
  });

  it('never counts raw as classical and names a missing model row', () => {
    expect(denoiserVerdict([row('raw', 40), row('gaussian', 20), row('care', 21)]).beatsClassical).toBe(true);
    expect(() => denoiserVerdict(classical)).toThrow(VerdictError);
    expect(() => denoiserVerdict([...classical, row('care', 30)], 1, 'n2v')).toThrow(/no model row "n2v"/);
    expect(denoiserVerdict([...classical, row('care', 30), row('n2v', 20)], 1, 'n2v').beatsClassical).toBe(false);
  });
});
