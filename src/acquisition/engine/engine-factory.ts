import type { MDAEvent } from '../plans';
import type { AcquisitionEngine } from './engine';
import { MicroManagerEngine, type MicroManagerEngineOptions } from './micro-manager-engine';

/** Makes the engine a run drives: Micro-Manager's by default; a test or another microscope may give its own. */
export type EngineFactory = (options: MicroManagerEngineOptions) => AcquisitionEngine<MDAEvent>;

export const ENGINE_FACTORY = Symbol('ENGINE_FACTORY');

export const microManagerEngine: EngineFactory = (options) => new MicroManagerEngine(options);
