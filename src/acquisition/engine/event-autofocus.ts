import { MicroManagerCamera, MicroManagerZStage, type MicroscopeCore } from '../../hardware/micro-manager';
import { runSoftwareAutofocus, SOFTWARE_AUTOFOCUS, type SoftwareAutofocusOptions } from '../autofocus';
import type { MDAEvent } from '../plans';

export type AutofocusAction = Extract<NonNullable<MDAEvent['action']>, { type: 'hardware_autofocus' }>;

/**
 * Hardware autofocus (fullFocus on the named or current autofocus device, after setting its offset), or the
 * software one when the event names SOFTWARE_AUTOFOCUS; the motor offset then shifts the focus found, µm.
 * Returns the focus before and after.
 */
export async function runEventAutofocus(
  core: MicroscopeCore,
  action: AutofocusAction,
  devices: { readonly focus: string; readonly camera: string; readonly software?: SoftwareAutofocusOptions },
): Promise<{ readonly beforeUm: number; readonly afterUm: number }> {
  const beforeUm = await core.getPosition(devices.focus);
  if (action.autofocusDeviceName === SOFTWARE_AUTOFOCUS) {
    const zStage = new MicroManagerZStage(core, devices.focus);
    const result = await runSoftwareAutofocus({ camera: new MicroManagerCamera(core, devices.camera), zStage }, devices.software);
    if (result.found && action.autofocusMotorOffset) {
      await zStage.setPositionUm(result.zUm + action.autofocusMotorOffset);
      await zStage.waitUntilIdle();
    }
  } else {
    if (action.autofocusDeviceName !== undefined) await core.setAutoFocusDevice(action.autofocusDeviceName);
    if (action.autofocusMotorOffset !== undefined) await core.setAutoFocusOffset(action.autofocusMotorOffset);
    await core.fullFocus();
    await core.waitForDevice(devices.focus);
  }
  return { beforeUm, afterUm: await core.getPosition(devices.focus) };
}
