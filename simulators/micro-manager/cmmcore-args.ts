/** Small helpers for CMMCore method tables: argument access and the enum/vector results MMCoreJ returns. */
import { enumConstantOf } from './java-enums';
import { CoreError } from './java-errors';
import type { RemoteObject } from './remote-values';

export type Args = readonly unknown[];

export const str = (args: Args, i: number): string => {
  const value = args[i];
  // SWIG's wrapper refuses a null java.lang.String.
  if (value === null || value === undefined) throw new CoreError('null string');
  return String(value);
};
export const num = (args: Args, i: number): number => Number(args[i]);
export const bool = (args: Args, i: number): boolean => args[i] === true;

/** A DeviceType passed back by reference (e.g. from getDeviceType) to getLoadedDevicesOfType & co. */
export function deviceTypeArg(args: Args, i: number): string {
  const constant = args[i] ? enumConstantOf(args[i] as RemoteObject) : undefined;
  if (!constant || constant.className !== 'mmcorej.DeviceType') throw new CoreError('Argument is not a mmcorej.DeviceType');
  return constant.name;
}

/** MMCore's text for a double given to setProperty (CDeviceUtils::ConvertToString: "%.2f"). */
export const doubleText = (value: number): string => value.toFixed(2);
