import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, type ConnectionOptions } from 'bullmq';

/** What one Redis connection shows: the round trip of a GET (median of many) and the commands processed so far. */
export async function redisProbe(
  connection: ConnectionOptions,
): Promise<{ rttMs: number; commands: () => Promise<number>; close: () => Promise<void> }> {
  const queue = new Queue('bench-probe', { connection });
  const client = await queue.client;
  const rtts: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await client.get('bench-probe:none');
    rtts.push(performance.now() - started);
  }
  rtts.sort((a, b) => a - b);
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await client.info())?.[1] ?? NaN);
  return { rttMs: rtts[rtts.length >> 1], commands, close: () => queue.close() };
}

/** Bytes under a folder (a job's chunks and output), for what every chunk moves through the shared storage. */
export async function bytesUnder(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? await bytesUnder(full) : (await stat(full)).size;
  }
  return total;
}

export interface ScalingInputs {
  readonly chunks: number;
  /** Wall time of the job at one worker, ms (median). */
  readonly oneWorkerMs: number;
  /** The model calls alone over the data set, ms. */
  readonly rawMs: number;
  readonly redisRttMs: number;
  readonly redisCommandsPerChunk: number;
  /** Input read plus output written per chunk, bytes. */
  readonly storageBytesPerChunk: number;
}

const SHARED_STORAGE_MBPS = { '1GbE': 117, '10GbE': 1170 } as const;
// a single Redis serves about this many small commands a second (redis-benchmark on commodity hardware)
const REDIS_COMMANDS_PER_S = 100_000;

/**
 * How a job scales with N machines of this one's speed, each running one worker: the per-chunk cost at one worker
 * (model, reads, writes, queue round trips) divided over N, bounded by what one Redis and the shared storage carry.
 * A model from measured figures, not a measurement on N machines.
 */
export function scalingModel(inputs: ScalingInputs, machines: readonly number[] = [1, 2, 4, 8, 16, 32]) {
  const perChunkMs = inputs.oneWorkerMs / inputs.chunks;
  const limits = {
    redisChunksPerS: REDIS_COMMANDS_PER_S / Math.max(1, inputs.redisCommandsPerChunk),
    ...Object.fromEntries(
      Object.entries(SHARED_STORAGE_MBPS).map(([link, mbps]) => [`storage${link}ChunksPerS`, (mbps * 1e6) / inputs.storageBytesPerChunk]),
    ),
  } as Record<string, number>;
  const ceiling = Math.min(...Object.values(limits));
  const predicted = machines.map((n) => {
    const chunksPerS = Math.min(n / (perChunkMs / 1000), limits.redisChunksPerS, limits['storage1GbEChunksPerS']);
    return { machines: n, chunksPerS: Number(chunksPerS.toFixed(2)), wallS: Number((inputs.chunks / chunksPerS).toFixed(2)) };
  });
  return {
    perChunkMs: Number(perChunkMs.toFixed(2)),
    modelMsPerChunk: Number((inputs.rawMs / inputs.chunks).toFixed(2)),
    redisRttMs: Number(inputs.redisRttMs.toFixed(3)),
    redisCommandsPerChunk: Number(inputs.redisCommandsPerChunk.toFixed(1)),
    queueMsPerChunk: Number((inputs.redisRttMs * inputs.redisCommandsPerChunk).toFixed(2)),
    storageBytesPerChunk: Math.round(inputs.storageBytesPerChunk),
    limits: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, Number(v.toFixed(1))])),
    // where adding machines stops helping, on 1 GbE shared storage
    machinesToSaturate: Math.ceil(Math.min(limits.redisChunksPerS, limits['storage1GbEChunksPerS']) * (perChunkMs / 1000)),
    ceilingChunksPerS: Number(ceiling.toFixed(1)),
    predicted,
  };
}
