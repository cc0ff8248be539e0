/**
 * Render timings of the virtual specimen, one JSON line per case on stdout:
 *   node -r ts-node/register/transpile-only simulators/sample/render-benchmark.ts [repeats]
 * Cases: `steady` (same field and focus, bleaching on: noise and bleaching every frame), `refocus` (a z-stack:
 * new blur every frame), `move` (a tile scan: new rasters every frame). Reports the median and the best wall time,
 * and the best process CPU time, which other load on the machine distorts less.
 */
import type { CameraModel, ImagingConditions } from './contract';
import { createSpecimen } from './index';

const repeats = Math.max(3, Number(process.argv[2] ?? 15));

function camera(sidePx: number): CameraModel {
  return {
    widthPx: sidePx,
    heightPx: sidePx,
    pixelSizeUm: 0.1625,
    bitDepth: 16,
    offsetAdu: 100,
    gainAduPerElectron: 0.5,
    readNoiseElectrons: 1.6,
    quantumEfficiency: 0.8,
    binning: 1,
  };
}

const base: ImagingConditions = {
  stageXUm: 0,
  stageYUm: 0,
  focusZUm: 0.4,
  exposureMs: 100,
  illuminationPowerMw: 10,
  excitationWavelengthNm: 488,
  emissionWavelengthNm: 528,
  numericalAperture: 0.75,
  timeS: 0,
};

const cases: Record<string, (i: number) => ImagingConditions> = {
  steady: (i) => ({ ...base, timeS: i * 0.1 }),
  refocus: (i) => ({ ...base, focusZUm: -2 + 0.25 * i, timeS: i * 0.1 }),
  move: (i) => ({ ...base, stageXUm: 50 * i, timeS: i * 0.1 }),
};

for (const sidePx of [512, 2048]) {
  for (const [name, conditionsAt] of Object.entries(cases)) {
    const specimen = createSpecimen({ seed: 1 });
    const cam = camera(sidePx);
    const out = new Uint16Array(sidePx * sidePx);
    specimen.render(conditionsAt(-1), cam, out);
    const wallMs: number[] = [];
    const cpuMs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      specimen.render(conditionsAt(i), cam, out);
      wallMs.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    const sorted = [...wallMs].sort((a, b) => a - b);
    const round = (v: number) => Math.round(v * 10) / 10;
    process.stdout.write(
      JSON.stringify({
        bench: 'specimen-render',
        case: name,
        sidePx,
        repeats,
        medianWallMs: round(sorted[Math.floor(sorted.length / 2)]),
        bestWallMs: round(sorted[0]),
        bestCpuMs: round(Math.min(...cpuMs)),
      }) + '\n',
    );
  }
}
