/**
 * `npm run fuzz [-- --plans 10000 --seed N]`: the full form of the light fuzz test. Prints one JSON line with the
 * counts; exits 1 when any answer broke the contract or any recorded light command exceeded the limits.
 */
import { rmSync } from 'node:fs';
import { fuzzService } from './light-fuzz';
import { FUZZ_LIMIT_PERCENT, startFuzzedService } from './fuzz-service';
import { powerBeyond, readLightRecord, serialBeyond } from '../support/light-record';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

async function main(): Promise<void> {
  const service = await startFuzzedService();
  try {
    const report = await fuzzService({
      url: service.running.url,
      seed: option('seed', 20261207),
      plans: option('plans', 10_000),
      requestsPerPlan: option('requests-per-plan', 6),
      deadlineMs: option('minutes', 60) * 60_000,
    });
    const record = readLightRecord(service.lightLog);
    const beyond = [
      ...powerBeyond(record, FUZZ_LIMIT_PERCENT).map((c) => `${c.device}.${c.property}=${c.value}`),
      ...serialBeyond(service.lightLog, FUZZ_LIMIT_PERCENT),
    ];
    const health = (await (await fetch(`${service.running.url}/api/health`)).json()) as { status: string };
    const { problems, ...counts } = report;
    const lightCommands = record.length;
    process.stdout.write(
      JSON.stringify({
        name: 'light-fuzz',
        ...counts,
        lightCommandsRecorded: lightCommands,
        lightCommandsBeyondLimit: beyond.length,
        problems: problems.length,
        healthAfter: health.status,
        limitPercent: FUZZ_LIMIT_PERCENT,
      }) + '\n',
    );
    for (const line of [...problems.slice(0, 20), ...beyond.slice(0, 20)]) process.stderr.write(`${line}\n`);
    if (problems.length || beyond.length || health.status !== 'ok' || report.stoppedAtDeadline) process.exitCode = 1;
  } finally {
    await service.running.close();
    rmSync(service.directory, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    process.stderr.write(`fuzz failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
