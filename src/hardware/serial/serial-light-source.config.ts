import { z } from 'zod';
import { PE4000_BAUD_RATE } from './pe4000-protocol';

const usbId = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'must be a USB id in hex, e.g. "0403"')
  .transform((id) => id.toLowerCase().replace(/^0x/, '').padStart(4, '0'));

/** Where the light source is plugged in: a device path, or the USB ids to look for among the serial ports. */
export const serialPortLocationSchema = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ usb: z.object({ vendorId: usbId, productId: usbId, serialNumber: z.string().min(1).optional() }).strict() }).strict(),
]);

export const serialLightSourceConfigSchema = z
  .object({
    label: z.string().min(1).default('pE-4000'),
    port: serialPortLocationSchema,
    baudRate: z.number().int().positive().default(PE4000_BAUD_RATE),
    /** What ends a command line; the pE-4000 takes CR (Micro-Manager's adapter sends CR). */
    commandTerminator: z.enum(['\r', '\n', '\r\n']).default('\r'),
    /** Whether something between us and the device echoes each command line back first. */
    echoesCommands: z.boolean().default(false),
    replyTimeoutMs: z.number().int().min(10).max(60_000).default(500),
    resyncQuietMs: z.number().int().min(1).max(10_000).default(30),
    reconnectIntervalMs: z.number().int().min(10).max(60_000).default(250),
    /** Lock the control pod at connect so nobody changes the light by hand behind the envelope's back. */
    lockPod: z.boolean().default(false),
  })
  .strict();

export type SerialLightSourceConfigInput = z.input<typeof serialLightSourceConfigSchema>;
export type SerialLightSourceConfig = z.output<typeof serialLightSourceConfigSchema>;
export type SerialPortLocation = z.output<typeof serialPortLocationSchema>;

export function describeLocation(location: SerialPortLocation): string {
  return 'path' in location
    ? location.path
    : `USB ${location.usb.vendorId}:${location.usb.productId}${location.usb.serialNumber ? ` serial ${location.usb.serialNumber}` : ''}`;
}
