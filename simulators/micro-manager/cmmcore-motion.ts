/** CMMCore methods of the XY and focus stages, waiting, shutters, state devices and autofocus. */
import { bool, deviceTypeArg, num, str } from './cmmcore-args';
import { point2D } from './java-point';
import { strVector } from './java-vectors';
import type { SimMicroscope } from './microscope';
import type { MethodTable } from './remote-object';
import { NONE, double, primitive, remote, string, type RemoteObject } from './remote-values';
import { CoreError } from './sim-device';

/** Focus plane the autofocus locks onto before its offset: the specimen's coverslip-side layer. */
const DEFAULT_AUTOFOCUS_PLANE_UM = 0.4;

export function motionMethods(scope: SimMicroscope): MethodTable {
  const { core, stages, light, stageSequences } = scope;
  const xy = () => core.roleDevice('XYStage', 'XY stage not loaded or initialized.').label;
  const focus = () => core.roleDevice('Focus', 'Focus stage not loaded or initialized.').label;
  const shutter = () => core.roleDevice('Shutter', 'Shutter not loaded or initialized.').label;
  const moveXY = (label: string, x: number, y: number) => {
    stages.setXY(label, x, y);
    return NONE;
  };
  const moveXYBy = (label: string, dx: number, dy: number) => {
    const p = stages.getXY(label);
    return moveXY(label, p.x + dx, p.y + dy);
  };
  const moveZ = (label: string, z: number) => {
    stages.setZ(label, z);
    return NONE;
  };
  const setShutter = (label: string, open: boolean) => {
    const device = core.device(label);
    if (device.type !== 'ShutterDevice') throw new CoreError(`Device "${label}" is not a shutter`);
    device.force('State', open ? '1' : '0');
    core.cache.set(label, 'State', open ? '1' : '0');
    return NONE;
  };
  const shutterOpen = (label: string) => {
    if (core.device(label).type !== 'ShutterDevice') throw new CoreError(`Device "${label}" is not a shutter`);
    return primitive(light.isShutterOpen(label));
  };
  const stateLabels = (label: string) => core.stateLabels(label);
  const focusNow = async () => {
    core.roleDevice('AutoFocus', 'Autofocus device not loaded or initialized.');
    const label = focus();
    // Like a coverslip-tracking autofocus (Nikon PFS), it finds the plane where it has drifted to.
    const planeUm = (scope.options.autofocusPlaneUm ?? DEFAULT_AUTOFOCUS_PLANE_UM) + scope.drift.offsetUm();
    stages.setZ(label, planeUm + scope.autofocusOffsetUm);
    await stages.waitForDevice(label);
    return NONE;
  };
  /** false, once the device is known to be of the right kind (MMCore throws for a wrong label). */
  const falseAfter = (check: () => unknown) => {
    check();
    return primitive(false);
  };
  const isType = (label: string, type: string) => type === 'AnyType' || core.device(label).type === type;

  return {
    // ---- XY stage ----
    'setXYPosition(double,double)': (a) => moveXY(xy(), num(a, 0), num(a, 1)),
    'setXYPosition(java.lang.String,double,double)': (a) => moveXY(str(a, 0), num(a, 1), num(a, 2)),
    'setRelativeXYPosition(double,double)': (a) => moveXYBy(xy(), num(a, 0), num(a, 1)),
    'setRelativeXYPosition(java.lang.String,double,double)': (a) => moveXYBy(str(a, 0), num(a, 1), num(a, 2)),
    'getXYStagePosition()': () => remote(point2D(stages.getXY(xy()).x, stages.getXY(xy()).y)),
    'getXYStagePosition(java.lang.String)': (a) => remote(point2D(stages.getXY(str(a, 0)).x, stages.getXY(str(a, 0)).y)),
    'getXPosition()': () => double(stages.getXY(xy()).x),
    'getXPosition(java.lang.String)': (a) => double(stages.getXY(str(a, 0)).x),
    'getYPosition()': () => double(stages.getXY(xy()).y),
    'getYPosition(java.lang.String)': (a) => double(stages.getXY(str(a, 0)).y),
    'setOriginXY()': () => moveXY(xy(), 0, 0),
    'setOriginXY(java.lang.String)': (a) => moveXY(str(a, 0), 0, 0),
    'home(java.lang.String)': (a) => (core.device(str(a, 0)).type === 'XYStageDevice' ? moveXY(str(a, 0), 0, 0) : moveZ(str(a, 0), 0)),
    'stop(java.lang.String)': (a) => {
      core.device(str(a, 0)).busyUntilMs = 0;
      return NONE;
    },
    'isXYStageSequenceable(java.lang.String)': (a) => falseAfter(() => stages.xyStage(str(a, 0))),
    'isXYStageUsingCallbacks(java.lang.String)': (a) =>
      primitive(stages.xyStage(str(a, 0)).properties.get('UsesCallbacks')?.value === 'Yes'),

    // ---- focus stage ----
    'setPosition(double)': (a) => moveZ(focus(), num(a, 0)),
    'setPosition(java.lang.String,double)': (a) => moveZ(str(a, 0), num(a, 1)),
    'setRelativePosition(double)': (a) => moveZ(focus(), stages.getZ(focus()) + num(a, 0)),
    'setRelativePosition(java.lang.String,double)': (a) => moveZ(str(a, 0), stages.getZ(str(a, 0)) + num(a, 1)),
    'getPosition()': () => double(stages.getZ(focus())),
    'getPosition(java.lang.String)': (a) => double(stages.getZ(str(a, 0))),
    'setOrigin()': () => moveZ(focus(), 0),
    'setOrigin(java.lang.String)': (a) => moveZ(str(a, 0), 0),
    'isStageSequenceable(java.lang.String)': (a) => primitive(stageSequences.isSequenceable(str(a, 0))),
    'getStageSequenceMaxLength(java.lang.String)': (a) => primitive(stageSequences.maxLength(str(a, 0))),
    'loadStageSequence(java.lang.String,mmcorej.DoubleVector)': async (a) => {
      stageSequences.load(str(a, 0), await readDoubleVector(a[1]));
      return NONE;
    },
    'startStageSequence(java.lang.String)': (a) => {
      stageSequences.start(str(a, 0));
      return NONE;
    },
    'stopStageSequence(java.lang.String)': (a) => {
      stageSequences.stop(str(a, 0));
      return NONE;
    },
    'isStageLinearSequenceable(java.lang.String)': (a) => falseAfter(() => stages.zStage(str(a, 0))),
    'isStageUsingCallbacks(java.lang.String)': (a) => falseAfter(() => stages.zStage(str(a, 0))),
    'isContinuousFocusDrive(java.lang.String)': (a) => falseAfter(() => stages.zStage(str(a, 0))),

    // ---- waiting ----
    'waitForDevice(java.lang.String)': async (a) => {
      await stages.waitForDevice(str(a, 0));
      return NONE;
    },
    'waitForSystem()': async () => {
      await stages.waitForSystem();
      return NONE;
    },
    'waitForDeviceType(mmcorej.DeviceType)': async (a) => {
      const type = deviceTypeArg(a, 0);
      for (const label of core.loadedDevices()) if (isType(label, type)) await stages.waitForDevice(label);
      return NONE;
    },
    'deviceBusy(java.lang.String)': (a) => primitive(stages.busy(str(a, 0))),
    'deviceTypeBusy(mmcorej.DeviceType)': (a) => {
      const type = deviceTypeArg(a, 0);
      return primitive(core.loadedDevices().some((label) => isType(label, type) && stages.busy(label)));
    },
    'systemBusy()': () => primitive(core.loadedDevices().some((label) => stages.busy(label))),

    // ---- shutters ----
    'setShutterOpen(boolean)': (a) => setShutter(shutter(), bool(a, 0)),
    'setShutterOpen(java.lang.String,boolean)': (a) => setShutter(str(a, 0), bool(a, 1)),
    'getShutterOpen()': () => shutterOpen(shutter()),
    'getShutterOpen(java.lang.String)': (a) => shutterOpen(str(a, 0)),

    // ---- state devices ----
    'getState(java.lang.String)': (a) => {
      stateLabels(str(a, 0));
      return primitive(core.device(str(a, 0)).number('State'));
    },
    'setState(java.lang.String,int)': (a) => {
      core.setState(str(a, 0), num(a, 1));
      return NONE;
    },
    'getStateLabel(java.lang.String)': (a) => {
      stateLabels(str(a, 0));
      return string(core.device(str(a, 0)).get('Label'));
    },
    'setStateLabel(java.lang.String,java.lang.String)': (a) => {
      core.setStateLabel(str(a, 0), str(a, 1));
      return NONE;
    },
    'getNumberOfStates(java.lang.String)': (a) => primitive(stateLabels(str(a, 0)).length),
    'getStateLabels(java.lang.String)': (a) => remote(strVector(stateLabels(str(a, 0)))),
    'getStateFromLabel(java.lang.String,java.lang.String)': (a) => {
      const position = stateLabels(str(a, 0)).indexOf(str(a, 1));
      if (position < 0) throw new CoreError(`Label "${str(a, 1)}" not defined for device "${str(a, 0)}"`);
      return primitive(position);
    },
    'defineStateLabel(java.lang.String,int,java.lang.String)': (a) => {
      stateLabels(str(a, 0));
      core.device(str(a, 0)).stateLabels.set(num(a, 1), str(a, 2));
      return NONE;
    },

    // ---- autofocus ----
    'fullFocus()': focusNow,
    'incrementalFocus()': focusNow,
    'getAutoFocusOffset()': () => double(scope.autofocusOffsetUm),
    'setAutoFocusOffset(double)': (a) => {
      scope.autofocusOffsetUm = num(a, 0);
      return NONE;
    },
    'getLastFocusScore()': () => double(0),
    'getCurrentFocusScore()': () => double(0),
    'isContinuousFocusEnabled()': () => primitive(false),
    'isContinuousFocusLocked()': () => primitive(false),
    'enableContinuousFocus(boolean)': (a) => {
      if (bool(a, 0)) throw new CoreError('Continuous focus is not supported by the simulated autofocus');
      return NONE;
    },
  };
}

/** The elements of a DoubleVector passed back by reference, read through its own methods. */
async function readDoubleVector(arg: unknown): Promise<number[]> {
  if (typeof arg !== 'object' || arg === null || !('listing' in arg) || (arg as RemoteObject).listing.class !== 'mmcorej.DoubleVector') {
    throw new CoreError('Argument is not a mmcorej.DoubleVector');
  }
  const vector = arg as RemoteObject;
  const call = async (signature: string, args: readonly unknown[]) => {
    const value = await vector.invoke({ signature, args, isStatic: false });
    if (value.kind !== 'primitive') throw new CoreError(`DoubleVector.${signature} gave no number`);
    return Number(value.value);
  };
  const size = await call('size()', []);
  const values: number[] = [];
  for (let i = 0; i < size; i++) values.push(await call('get(int)', [i]));
  return values;
}
