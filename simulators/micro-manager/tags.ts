/**
 * TaggedImage tags as MMCoreJ's TaggedImageCreator builds them: the frame's own metadata (for buffered frames
 * what MMCore and DemoCamera attach: Camera, ImageNumber, ElapsedTime-ms, …), then every entry of the
 * system-state cache as "<Device>-<Property>", then BitDepth, PixelSizeUm, ROI, Width, Height, PixelType,
 * the Frame/Slice/Position indices, Channel and Binning.
 */
import type { SimCamera } from './camera';
import type { BufferedFrame } from './circular-buffer';
import { JavaDouble, JavaJsonObject, javaDoubleToString } from './java-json';
import type { SimCore } from './sim-core';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** MMCore's FormatLocalTime: "2025-05-31 09:26:07.964891". */
function localTime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`
  );
}

/** The metadata the circular buffer holds for a frame (Metadata keys come out sorted). */
function frameMetadata(frame: BufferedFrame): Array<[string, string]> {
  const entries: Record<string, string> = {
    Binning: frame.binning,
    Camera: frame.cameraLabel,
    ...(frame.cameraChannelIndex !== undefined ? { CameraChannelIndex: String(frame.cameraChannelIndex) } : {}),
    'ElapsedTime-ms': frame.elapsedMs.toFixed(2),
    Height: String(frame.image.height),
    ImageNumber: String(frame.imageNumber),
    PixelType: frame.image.bytesPerPixel === 1 ? 'GRAY8' : 'GRAY16',
    'ROI-X-start': '0',
    'ROI-Y-start': '0',
    TimeReceivedByCore: localTime(frame.receivedAt),
    Width: String(frame.image.width),
  };
  return Object.keys(entries)
    .sort()
    .map((key) => [key, entries[key]]);
}

/** Tags of getTaggedImage (frame undefined: no metadata) or of a frame from the circular buffer. */
export function taggedImageTags(core: SimCore, camera: SimCamera, frame?: BufferedFrame, cameraChannelIndex = 0): JavaJsonObject {
  const tags = new JavaJsonObject(frame ? frameMetadata(frame) : []);
  for (const s of core.cache.entries()) tags.put(`${s.device}-${s.property}`, s.value);
  tags.put('BitDepth', camera.bitDepth());
  tags.put('PixelSizeUm', new JavaDouble(core.pixelSizeUm(true)));
  tags.put('PixelSizeAffine', core.pixelSizeAffine(true).map(javaDoubleToString).join(';'));
  tags.put('ROI', `0-0-${camera.width()}-${camera.height()}`);
  tags.put('Width', camera.width());
  tags.put('Height', camera.height());
  tags.put('PixelType', camera.pixelType());
  for (const key of ['Frame', 'FrameIndex']) tags.put(key, 0);
  tags.put('Position', 'Default');
  for (const key of ['PositionIndex', 'Slice', 'SliceIndex']) tags.put(key, 0);
  const channelGroup = core.cache.get('Core', 'ChannelGroup') ?? '';
  tags.put('Channel', (channelGroup && core.groups.has(channelGroup) && core.currentConfig(channelGroup, true)) || 'Default');
  tags.put('ChannelIndex', 0);
  tags.put('Binning', frame?.binning ?? camera.binning());
  if (!tags.has('CameraChannelIndex')) {
    tags.put('CameraChannelIndex', cameraChannelIndex);
    tags.put('ChannelIndex', cameraChannelIndex);
  }
  return tags;
}
