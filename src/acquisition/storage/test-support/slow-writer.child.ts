/**
 * Child process for the crash tests: writes frames slowly and reports each one once `write` resolved, until the
 * test kills it with SIGKILL. argv: format (tiff | zarr | zarr3: v3 shards of 2 time points), data set path, delay between frames in ms.
 */
import { openOmeTiffWriter, openOmeZarrWriter, type FrameWriter } from '../index';
import { CRASH_LAYOUT, crashFrame, crashPlanes } from './crash-plan';

async function main(): Promise<void> {
  const [format, path, delayText] = process.argv.slice(2);
  const options = { checkpointEveryFrames: 3, fsync: true };
  const shards = { zarrVersion: 3 as const, shardTargetBytes: 6 * 96 * 64 * 2 };
  const writer: FrameWriter =
    format === 'zarr' || format === 'zarr3'
      ? await openOmeZarrWriter(path, CRASH_LAYOUT, format === 'zarr3' ? { ...options, ...shards } : options)
      : await openOmeTiffWriter(path, CRASH_LAYOUT, options);
  for (const [sequence, plane] of crashPlanes().entries()) {
    await writer.write(crashFrame(plane, sequence));
    process.stdout.write(`written ${sequence}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(delayText)));
  }
  await writer.close();
  process.stdout.write('closed\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
