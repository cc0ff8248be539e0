/**
 * `npm run soak [-- --frames 100000 --minutes 30 --zarr]`: the full form of the fault soak. Prints one JSON line with the counts;
 * exits 1 when a frame acquired was lost, the light came back brighter, or a command exceeded the limits.
 */
import { runSoak, type SoakReport } from './soak';

export function soakFailures(report: SoakReport): string[] {
  const failures: string[] = [];
  if (report.framesLost !== 0) failures.push(`${report.framesLost} acquired frames are not readable`);
  if (report.framesAcquired < report.framesPlanned)
    failures.push(`only ${report.framesAcquired} of ${report.framesPlanned} frames acquired`);
  for (const f of report.faults)
    if (f.lightAfter > f.lightBefore)
      failures.push(`after "${f.fault}" the light came back at ${f.lightAfter} %, above ${f.lightBefore} %`);
  if (report.lightCommandsBeyondLimit) failures.push(`${report.lightCommandsBeyondLimit} light commands beyond the limit`);
  return failures;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--frames');
  const frames = at >= 0 ? Number(process.argv[at + 1]) : 100_000;
  if (!Number.isInteger(frames) || frames < 100) throw new Error('--frames needs a whole number of at least 100');
  const minutesAt = process.argv.indexOf('--minutes');
  const minutes = minutesAt >= 0 ? Number(process.argv[minutesAt + 1]) : 30;
  const format = process.argv.includes('--zarr') ? 'ome-zarr' : 'ome-tiff';
  const report = await runSoak({ frames, format, deadlineMs: minutes * 60_000 });
  process.stdout.write(JSON.stringify({ name: 'soak', format, ...report }) + '\n');
  const failures = soakFailures(report);
  for (const failure of failures) process.stderr.write(`${failure}\n`);
  process.exitCode = failures.length ? 1 : 0;
}

if (require.main === module) {
  void main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
