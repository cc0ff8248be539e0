/** The simulated hardware behind the core: light path, stages, camera and sequence acquisition, wired together. */
import type { Specimen } from '../sample/contract';
import { SimCamera } from './camera';
import { LightPath, type LightPathOptions } from './light-path';
import { SequenceAcquisition } from './sequence';
import { FocusDrift, SimulatedClock, type FocusDriftOptions } from './focus-drift';
import type { SimCore } from './sim-core';
import { StageSequences } from './stage-sequence';
import { Stages, type StageOptions } from './stages';

export interface MicroscopeOptions extends StageOptions, LightPathOptions, FocusDriftOptions {
  /** Focus position fullFocus() settles on before the autofocus offset, µm (the specimen's coverslip-side plane). */
  readonly autofocusPlaneUm?: number;
  /** Camera frame numbers (ImageNumber, from 0 in each sequence) the camera loses in every sequence acquisition. */
  readonly droppedImageNumbers?: readonly number[];
  /** The camera frame number at which stop-on-overflow sequences overflow their circular buffer. */
  readonly overflowAtImageNumber?: number;
}

export class SimMicroscope {
  readonly light: LightPath;
  readonly stages: Stages;
  readonly camera: SimCamera;
  readonly sequence: SequenceAcquisition;
  readonly stageSequences: StageSequences;
  /** Simulated time: drives the focus drift and the specimen's clock. */
  readonly clock: SimulatedClock;
  readonly drift: FocusDrift;
  autofocusOffsetUm = 0;

  constructor(
    readonly core: SimCore,
    readonly specimen: Specimen,
    readonly options: MicroscopeOptions = {},
  ) {
    this.light = new LightPath(core, options);
    this.stages = new Stages(core, options);
    this.clock = new SimulatedClock(options.timeScale ?? 1);
    this.drift = new FocusDrift(options.driftUmPerHour ?? 0, this.clock);
    this.camera = new SimCamera(core, specimen, this.stages, this.light, this.clock, this.drift);
    this.stageSequences = new StageSequences(this.stages);
    this.sequence = new SequenceAcquisition(
      core,
      this.camera,
      new Set(options.droppedImageNumbers ?? []),
      options.overflowAtImageNumber,
      () => this.stageSequences.trigger(),
    );
  }

  /** Light reaching the sample now, mW. */
  illuminationMw(): number {
    return this.light.illumination().powerMw;
  }

  dispose(): void {
    this.sequence.stop();
  }
}
