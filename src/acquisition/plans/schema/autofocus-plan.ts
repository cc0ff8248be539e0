import { z } from 'zod';
import type { AxesBasedAutofocus } from '../plan-types';
import { axisList, nullableFloat, nullableText } from './fields';

/** useq's AxesBasedAF: hardware autofocus whenever one of `axes` changes. */
export const autofocusPlanSchema = z
  .object({
    autofocus_device_name: nullableText(),
    autofocus_motor_offset: nullableFloat(),
    axes: axisList(false),
  })
  .transform((v): AxesBasedAutofocus => ({
    kind: 'axes_based',
    autofocusDeviceName: v.autofocus_device_name,
    autofocusMotorOffset: v.autofocus_motor_offset,
    axes: v.axes,
  }));
