/** CMMCore methods of the camera: exposure, snaps, images and tagged images, sequences and the circular buffer. */
import { SimCamera } from './camera';
import type { BufferedFrame } from './circular-buffer';
import { bool, doubleText, num, str } from './cmmcore-args';
import { taggedImage } from './java-tagged-image';
import type { SimMicroscope } from './microscope';
import type { MethodTable } from './remote-object';
import { NONE, double, pixelArray, primitive, remote, string } from './remote-values';
import { CoreError } from './sim-device';
import { taggedImageTags } from './tags';

export function imagingMethods(scope: SimMicroscope): MethodTable {
  const { core, camera, sequence } = scope;
  const setExposure = (label: string, exposureMs: number) => {
    const device = core.device(label);
    if (device.type !== 'CameraDevice') throw new CoreError(`Device "${label}" is not a camera`);
    // A Multi Camera sets every physical camera's exposure.
    for (const physical of camera.physical(device)) {
      physical.set('Exposure', String(exposureMs));
      core.cache.set(physical.label, 'Exposure', doubleText(exposureMs));
    }
    return NONE;
  };
  const setBinning = (label: string, binning: number) => {
    core.setProperty(label, 'Binning', String(binning));
    return NONE;
  };
  const start = (label: string, count: number, intervalMs: number, stopOnOverflow: boolean) => {
    sequence.start(label, count, intervalMs, stopOnOverflow);
    return NONE;
  };
  const stop = () => {
    sequence.stop();
    return NONE;
  };
  const tagged = (frame: BufferedFrame, channel = 0) =>
    remote(taggedImage(pixelArray(frame.image.pixels), taggedImageTags(core, camera, frame, channel)));
  const snapped = (channel = 0) =>
    remote(taggedImage(pixelArray(camera.image(channel).pixels), taggedImageTags(core, camera, undefined, channel)));
  const cameraLabel = () => camera.device().label;
  const isRunning = (label: string) => {
    core.device(label);
    return primitive(sequence.isRunning && label === cameraLabel());
  };

  return {
    'setExposure(double)': (a) => setExposure(cameraLabel(), num(a, 0)),
    'setExposure(java.lang.String,double)': (a) => setExposure(str(a, 0), num(a, 1)),
    'getExposure()': () => double(camera.exposureMs()),
    'getExposure(java.lang.String)': (a) => double(camera.physical(core.device(str(a, 0)))[0].number('Exposure')),
    'getBinning()': () => primitive(Number(camera.binning())),
    'getBinning(java.lang.String)': (a) => primitive(core.device(str(a, 0)).number('Binning')),
    'setBinning(int)': (a) => setBinning(cameraLabel(), num(a, 0)),
    'setBinning(java.lang.String,int)': (a) => setBinning(str(a, 0), num(a, 1)),
    'isExposureSequenceable(java.lang.String)': (a) => {
      core.device(str(a, 0));
      return primitive(false);
    },

    'snapImage()': async () => {
      SimCamera.refuseDuringSequence(sequence.isRunning);
      await camera.snap();
      return NONE;
    },
    'getImage()': () => pixelArray(camera.image().pixels),
    'getImage(long)': (a) => pixelArray(camera.image(num(a, 0)).pixels),
    'getTaggedImage()': () => snapped(),
    'getTaggedImage(int)': (a) => snapped(num(a, 0)),
    'getImageWidth()': () => primitive(camera.width()),
    'getImageHeight()': () => primitive(camera.height()),
    'getBytesPerPixel()': () => primitive(camera.bytesPerPixel()),
    'getImageBitDepth()': () => primitive(camera.bitDepth()),
    'getNumberOfComponents()': () => primitive(1),
    'getNumberOfCameraChannels()': () => primitive(camera.physical().length),
    'getCameraChannelName(long)': (a) => {
      const physical = camera.physical();
      const channel = num(a, 0);
      return string(physical[channel]?.label ?? '');
    },
    'getImageBufferSize()': () => primitive(camera.width() * camera.height() * camera.bytesPerPixel()),

    'startSequenceAcquisition(int,double,boolean)': (a) => start(cameraLabel(), num(a, 0), num(a, 1), bool(a, 2)),
    'startSequenceAcquisition(java.lang.String,int,double,boolean)': (a) => start(str(a, 0), num(a, 1), num(a, 2), bool(a, 3)),
    'startContinuousSequenceAcquisition(double)': (a) => start(cameraLabel(), Number.POSITIVE_INFINITY, num(a, 0), false),
    'prepareSequenceAcquisition(java.lang.String)': (a) => {
      core.device(str(a, 0));
      return NONE;
    },
    'stopSequenceAcquisition()': stop,
    'stopSequenceAcquisition(java.lang.String)': (a) => {
      core.device(str(a, 0));
      return stop();
    },
    'isSequenceRunning()': () => primitive(sequence.isRunning),
    'isSequenceRunning(java.lang.String)': (a) => isRunning(str(a, 0)),
    'getRemainingImageCount()': () => primitive(sequence.buffer.remaining),
    'popNextImage()': () => pixelArray(sequence.buffer.popNext().image.pixels),
    'popNextTaggedImage()': () => tagged(sequence.buffer.popNext()),
    'popNextTaggedImage(int)': (a) => tagged(sequence.buffer.popNext(), num(a, 0)),
    'getLastImage()': () => pixelArray(sequence.buffer.last().image.pixels),
    'getLastTaggedImage()': () => tagged(sequence.buffer.last()),
    'getLastTaggedImage(int)': (a) => tagged(sequence.buffer.last(), num(a, 0)),
    'getNBeforeLastTaggedImage(long)': (a) => tagged(sequence.buffer.beforeLast(num(a, 0))),
    'getBufferTotalCapacity()': () => primitive(sequence.capacity()),
    'getBufferFreeCapacity()': () => primitive(sequence.capacity() - sequence.buffer.remaining),
    'isBufferOverflowed()': () => primitive(sequence.buffer.isOverflowed),
    'clearCircularBuffer()': () => {
      sequence.buffer.clear();
      return NONE;
    },
    'initializeCircularBuffer()': () => {
      SimCamera.refuseDuringSequence(sequence.isRunning);
      sequence.buffer.initialize(sequence.frameBytes());
      return NONE;
    },
    'setCircularBufferMemoryFootprint(long)': (a) => {
      sequence.setFootprintMb(num(a, 0));
      return NONE;
    },
    'getCircularBufferMemoryFootprint()': () => primitive(sequence.buffer.footprintMb),
  };
}
