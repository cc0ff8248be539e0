import type { MicroscopeCore } from '../../hardware/micro-manager';
import type { MDASequence, SequencingOptions } from '../plans';

type ProbedCore = Pick<
  MicroscopeCore,
  | 'getFocusDevice'
  | 'isStageSequenceable'
  | 'getStageSequenceMaxLength'
  | 'getConfigData'
  | 'isPropertySequenceable'
  | 'getCameraDevice'
  | 'isExposureSequenceable'
>;

/** What the hardware lets a plan sequence, and in words what runs in hardware and what in software, and why. */
export interface SequencingPlan {
  readonly options: SequencingOptions;
  readonly notes: readonly string[];
}

const plans = (plan: MDASequence): MDASequence[] => [plan, ...plan.stagePositions.flatMap((p) => (p.sequence ? plans(p.sequence) : []))];

/**
 * Asks Micro-Manager what it can sequence for this plan, as pymmcore-plus does before merging events: the focus
 * stage (isStageSequenceable, getStageSequenceMaxLength) for z-stacks; the channel presets' properties
 * (isPropertySequenceable) and the camera's exposure for channel changes. Time is always sequenced by the camera.
 */
export async function probeSequencing(core: ProbedCore, plan: MDASequence): Promise<SequencingPlan> {
  const notes: string[] = ['time points without waits: one camera sequence'];
  const all = plans(plan);
  let zSequenceMaxLength: number | undefined;
  if (all.some((p) => p.zPlan !== null)) {
    const focus = await core.getFocusDevice();
    if (!focus) notes.push('z-stacks in software: no focus device is set in Micro-Manager');
    else if (!(await core.isStageSequenceable(focus)))
      notes.push(`z-stacks in software: focus stage ${focus} is not sequenceable (isStageSequenceable is false)`);
    else {
      zSequenceMaxLength = await core.getStageSequenceMaxLength(focus);
      notes.push(
        `z-stacks in hardware: focus stage ${focus} steps through loaded sequences of up to ${zSequenceMaxLength} positions, one per camera frame`,
      );
    }
  }
  const channels = all.flatMap((p) => p.channels);
  if (new Set(channels.map((c) => `${c.group}\u0000${c.config}`)).size > 1) notes.push(await channelNote(core, channels));
  return { options: { zSequenceMaxLength }, notes };
}

async function channelNote(core: ProbedCore, channels: MDASequence['channels']): Promise<string> {
  for (const channel of channels) {
    for (const setting of await core.getConfigData(channel.group, channel.config)) {
      if (!(await core.isPropertySequenceable(setting.device, setting.property)))
        return `channel changes in software: preset ${channel.group}/${channel.config} sets ${setting.device}-${setting.property}, which is not sequenceable`;
    }
  }
  const exposures = new Set(channels.map((c) => c.exposureMs));
  const camera = await core.getCameraDevice();
  if (exposures.size > 1 && !(await core.isExposureSequenceable(camera)))
    return `channel changes in software: the channels' exposures differ and camera ${camera}'s exposure is not sequenceable`;
  return 'channel changes in software: every preset property is sequenceable, but this engine does not load property sequences yet';
}
