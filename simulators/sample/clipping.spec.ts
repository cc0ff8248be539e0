import { createSpecimen, maxAdu } from './index';
import { extent, moments, testCamera, testConditions } from './spec-helpers';

const film = () => createSpecimen({ seed: 9, pattern: 'uniform', bleachHalfDoseMwS: Infinity, photonsPerUm2PerMwS: 1000 });

describe('clipping to the bit depth', () => {
  it('saturates a 16-bit camera at 65535', () => {
    const camera = testCamera({ bitDepth: 16, gainAduPerElectron: 4 });
    // 20 electrons per mW (see photon statistics): 2000 mW → 40 000 e− → 160 100 ADU before clipping.
    const frame = film().render(testConditions({ illuminationPowerMw: 2000 }), camera);
    expect(extent(frame)).toEqual({ min: 65535, max: 65535 });
    expect(maxAdu(16)).toBe(65535);
  });

  it('saturates an 8-bit camera at 255', () => {
    const camera = testCamera({ bitDepth: 8, offsetAdu: 10, gainAduPerElectron: 1 });
    const frame = film().render(testConditions({ illuminationPowerMw: 50 }), camera);
    expect(extent(frame)).toEqual({ min: 255, max: 255 });
  });

  it('clips only the pixels beyond the range, leaving the others as measured', () => {
    // 8 bits, mean 10 + 12 × 20 = 250 ADU, sd ≈ 12 × 4.7 = 56: about half the pixels clip.
    const camera = testCamera({ bitDepth: 8, offsetAdu: 10, gainAduPerElectron: 12, widthPx: 128, heightPx: 128 });
    const frame = film().render(testConditions({ illuminationPowerMw: 1 }), camera);
    const clipped = frame.filter((adu) => adu === 255).length / frame.length;
    expect(clipped).toBeGreaterThan(0.4);
    expect(clipped).toBeLessThan(0.6);
    expect(extent(frame).max).toBe(255);
    expect(extent(frame).min).toBeLessThan(200);
  });

  it('clips at zero instead of wrapping around when the offset is too low for the read noise', () => {
    const camera = testCamera({ offsetAdu: 0, gainAduPerElectron: 2, readNoiseElectrons: 5 });
    const frame = film().render(testConditions({ illuminationPowerMw: 0 }), camera);
    const zeros = frame.filter((adu) => adu === 0).length / frame.length;
    // Half of N(0, 10 ADU) is below 0.5 ADU.
    expect(zeros).toBeGreaterThan(0.45);
    expect(zeros).toBeLessThan(0.55);
    expect(extent(frame).max).toBeLessThan(60);
    expect(moments(frame).mean).toBeGreaterThan(3);
  });

  it('honours other bit depths, such as 12 bits', () => {
    const frame = film().render(testConditions({ illuminationPowerMw: 2000 }), testCamera({ bitDepth: 12 }));
    expect(extent(frame).max).toBe(4095);
  });
});
