import { z } from 'zod';
import type { Channel } from '../plan-types';
import { boolean, float, integer, nullableText, positiveFloat, text } from './fields';

const channelObject = z
  .object(
    {
      config: text(),
      group: text()
        .optional()
        .transform((v) => v ?? 'Channel'),
      exposure: positiveFloat().nullable().optional(),
      do_stack: boolean(true),
      z_offset: float()
        .optional()
        .transform((v) => v ?? 0),
      acquire_every: integer((n) => n.gt(0, { error: 'must be > 0' }))
        .optional()
        .transform((v) => v ?? 1),
      camera: nullableText(),
    },
    { error: 'must be a channel name or {config, …}' },
  )
  .transform((v): Channel => ({
    config: v.config,
    group: v.group,
    exposureMs: v.exposure ?? null,
    doStack: v.do_stack,
    zOffsetUm: v.z_offset,
    acquireEvery: v.acquire_every,
    camera: v.camera,
  }));

/** A channel: {config, group?, exposure?, …} or just its config name, as useq accepts. */
export const channelSchema = z.preprocess((value) => (typeof value === 'string' ? { config: value } : value), channelObject);

export const channelListSchema = z
  .array(channelSchema, { error: 'must be a list of channels' })
  .optional()
  .transform((v): readonly Channel[] => v ?? []);
