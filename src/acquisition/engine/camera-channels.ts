import type { MicroscopeCore } from '../../hardware/micro-manager';

/**
 * Micro-Manager's Multi Camera puts several physical cameras behind one: each event gives one frame per camera,
 * written as channels of one data set. The plan's channel c, seen by camera k of n, is the data set's channel
 * c × n + k (all cameras of a preset side by side), named "<preset> · <camera>".
 */
export function datasetChannel(planChannel: number, camera: number, cameras: number): number {
  return planChannel * cameras + camera;
}

export function datasetChannelNames(planChannelNames: readonly string[], cameraNames: readonly string[]): string[] {
  if (cameraNames.length <= 1) return [...planChannelNames];
  return planChannelNames.flatMap((name) => cameraNames.map((camera) => `${name} · ${camera}`));
}

/** The physical cameras behind the core's camera, in channel order: [the camera] when it is a single one. */
export async function readCameraNames(
  core: Pick<MicroscopeCore, 'getCameraDevice' | 'getNumberOfCameraChannels' | 'getCameraChannelName'>,
): Promise<string[]> {
  const camera = await core.getCameraDevice();
  const channels = await core.getNumberOfCameraChannels();
  if (channels <= 1) return [camera];
  const names: string[] = [];
  for (let i = 0; i < channels; i++) names.push(await core.getCameraChannelName(i));
  return names;
}
