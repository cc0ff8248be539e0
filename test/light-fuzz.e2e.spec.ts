import { rmSync } from 'node:fs';
import { fuzzService } from './long/light-fuzz';
import { FUZZ_LIMIT_PERCENT, startFuzzedService, type FuzzedService } from './long/fuzz-service';
import { powerBeyond, readLightRecord, serialBeyond } from './support/light-record';

// The short form; `npm run fuzz` runs 10,000 plans.
const PLANS = Number(process.env.FUZZ_PLANS ?? 150);

describe(`fuzzing the light paths (${PLANS} seeded plans, REST and socket requests)`, () => {
  let service: FuzzedService;
  beforeAll(async () => (service = await startFuzzedService()), 60_000);
  afterAll(async () => {
    await service?.running.close();
    if (service) rmSync(service.directory, { recursive: true, force: true });
  });

  it('sends no light command beyond the limits, answers every bad request with a 4xx naming the field, and stays healthy', async () => {
    const report = await fuzzService({ url: service.running.url, seed: 20261207, plans: PLANS, requestsPerPlan: 6, deadlineMs: 240_000 });
    expect(report.problems).toEqual([]);
    expect(report.stoppedAtDeadline).toBe(false);
    // the fuzzer reached both sides: runs that went to the microscope, and refusals
    expect(report.plansFinished).toBeGreaterThan(PLANS / 5);
    expect(report.plansRefused).toBeGreaterThan(PLANS / 10);
    const record = readLightRecord(service.lightLog);
    expect(record.filter((c) => c.device === 'LED' && c.property === 'Intensity').length).toBeGreaterThan(PLANS / 5);
    expect(powerBeyond(record, FUZZ_LIMIT_PERCENT)).toEqual([]);
    expect(serialBeyond(service.lightLog, FUZZ_LIMIT_PERCENT)).toEqual([]);
    const health = (await (await fetch(`${service.running.url}/api/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  }, 300_000);
});
