/** Chunks go to one queue, the merges that wait for them to another, so a worker can take both kinds. */
export const CHUNK_QUEUE = 'scope-job-chunks';
export const MERGE_QUEUE = 'scope-job-merges';

export const chunkJobId = (jobId: string, index: number): string => `${jobId}.chunk-${index}`;

/** The chunk index in a BullMQ job key (`bull:<queue>:<job id>`) or job id. */
export function chunkIndexOf(keyOrId: string): number {
  const match = /\.chunk-(\d+)$/.exec(keyOrId);
  if (!match) throw new Error(`${keyOrId} is not a chunk job of a scope job`);
  return Number(match[1]);
}
