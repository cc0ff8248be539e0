/**
 * Focus stages stepped by the camera's trigger (a piezo fed a position list, as MMCore's loadStageSequence /
 * startStageSequence drive it): each frame of a running camera sequence moves every started stage sequence to
 * its next position before the frame is exposed, looping at the end as triggered hardware does. Only a stage
 * whose UseSequences property is Yes (DemoCamera's DStage) takes sequences; it holds at most 2000 positions.
 */
import { CoreError } from './sim-device';
import type { Stages } from './stages';

/** DemoStage::GetStageSequenceMaxLength. */
export const STAGE_SEQUENCE_MAX_LENGTH = 2000;

interface Running {
  readonly positionsUm: readonly number[];
  next: number;
}

export class StageSequences {
  private readonly loaded = new Map<string, readonly number[]>();
  private readonly running = new Map<string, Running>();
  /** Sequences started since the simulator started (tests check what ran in hardware). */
  started = 0;

  constructor(private readonly stages: Stages) {}

  isSequenceable(label: string): boolean {
    return this.stages.zStage(label).get('UseSequences') === 'Yes';
  }

  maxLength(label: string): number {
    this.requireSequenceable(label);
    return STAGE_SEQUENCE_MAX_LENGTH;
  }

  load(label: string, positionsUm: readonly number[]): void {
    this.requireSequenceable(label);
    if (this.running.has(label)) throw new CoreError(`Error in device "${label}": a stage sequence is running; stop it first`);
    if (positionsUm.length > STAGE_SEQUENCE_MAX_LENGTH) {
      throw new CoreError(
        `Error in device "${label}": sequence of ${positionsUm.length} positions is longer than ${STAGE_SEQUENCE_MAX_LENGTH}`,
      );
    }
    for (const zUm of positionsUm) this.stages.checkZInRange(label, zUm);
    this.loaded.set(label, [...positionsUm]);
  }

  start(label: string): void {
    this.requireSequenceable(label);
    const positionsUm = this.loaded.get(label);
    if (!positionsUm?.length) throw new CoreError(`Error in device "${label}": no stage sequence loaded`);
    this.running.set(label, { positionsUm, next: 0 });
    this.started++;
  }

  stop(label: string): void {
    this.requireSequenceable(label);
    this.running.delete(label);
  }

  isRunning(label: string): boolean {
    return this.running.has(label);
  }

  /** One camera trigger: every running sequence steps to its next position. */
  trigger(): void {
    for (const [label, sequence] of this.running) {
      this.stages.setZ(label, sequence.positionsUm[sequence.next]);
      sequence.next = (sequence.next + 1) % sequence.positionsUm.length;
    }
  }

  private requireSequenceable(label: string): void {
    if (!this.isSequenceable(label)) throw new CoreError(`Error in device "${label}": Unsupported command (the stage is not sequenceable)`);
  }
}
