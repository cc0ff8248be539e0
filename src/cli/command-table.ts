/** Every `scope` command: arguments in, exit code out (failures are thrown and mapped by exit-codes.ts). */
export type ScopeCommand = (args: readonly string[]) => Promise<number>;

export interface CommandEntry {
  readonly summary: string;
  /** Loaded only when run, so `scope plan` does not pay for the ML runtimes. */
  readonly load: () => Promise<ScopeCommand>;
}

/** A command that names what to do next (`scope train care`). */
export interface CommandGroup {
  readonly summary: string;
  readonly subcommands: Readonly<Record<string, CommandEntry>>;
  /** One more line for the group's usage. */
  readonly note?: string;
}

export const isGroup = (entry: CommandEntry | CommandGroup): entry is CommandGroup => 'subcommands' in entry;

export const COMMANDS: Readonly<Record<string, CommandEntry | CommandGroup>> = {
  version: { summary: 'print the version', load: async () => (await import('./commands/version.command')).versionCommand },
  plan: {
    summary: 'preview a useq-schema plan: its events (--events) or sizes, duration and disk use',
    load: async () => (await import('./commands/plan.command')).planCommand,
  },
  acquire: {
    summary: 'run a plan headless (--simulation or a real Micro-Manager) into an OME-TIFF/OME-Zarr data set',
    load: async () => (await import('./commands/acquire.command')).acquireCommand,
  },
  recover: {
    summary: 'finalize a data set whose acquisition was killed (kill -9, power cut, full disk)',
    load: async () => (await import('./commands/recover.command')).recoverCommand,
  },
  token: {
    summary: 'make a client token for server.auth.tokens: prints the token once, and the hash the config stores',
    load: async () => (await import('./commands/token.command')).tokenCommand,
  },
  storm: {
    summary: 'super-resolve a blinking-emitter TIFF stack by Deep-STORM or classical localisation',
    load: async () => (await import('./commands/storm.command')).stormCommand,
  },
  denoise: {
    summary: 'restore every plane of a TIFF stack with a CARE model into an OME-TIFF',
    load: async () => (await import('./commands/denoise.command')).denoiseCommand,
  },
  predict: {
    summary: 'run a BioImage Model Zoo model (ONNX weights) on every plane of a TIFF stack into an OME-TIFF',
    load: async () => (await import('./commands/predict.command')).predictCommand,
  },
  jobs: {
    summary: 'offline reconstructions in chunks: `jobs submit storm|denoise` (on Redis workers, or here), `jobs status`',
    subcommands: {
      submit: {
        summary: 'cut a Deep-STORM or CARE job on a data set into chunks and queue it (or, without Redis, run it here)',
        load: async () => (await import('./commands/jobs.command')).jobsSubmitCommand,
      },
      status: {
        summary: "a job's state and each chunk's: state, workers, retries, errors",
        load: async () => (await import('./commands/jobs.command')).jobsStatusCommand,
      },
    },
  },
  worker: {
    summary: 'take job chunks off the Redis queue (--redis, --storage) until stopped',
    load: async () => (await import('./commands/worker.command')).workerCommand,
  },
  calibrate: {
    summary: 'acquire calibration data on the microscope: `calibrate care` (low/high-light pairs for CARE)',
    subcommands: {
      care: {
        summary: 'paired low/high-light frames at N positions, within the light envelope and a dose budget, in CSBDeep layout',
        load: async () => (await import('./commands/calibrate-care.command')).calibrateCareCommand,
      },
    },
  },
  train: {
    summary: 'train a model: `train care` (CARE from low/high pairs, or Noise2Void from noisy stacks)',
    subcommands: {
      care: {
        summary: 'CARE from low/high-dose pairs (--pairs), or Noise2Void from noisy stacks alone (--noisy)',
        load: async () => (await import('./commands/train-care.command')).trainCareCommand,
      },
    },
    // Deep-STORM training is a reproducible script (simulated data, fixed seeds), not a command on user data.
    note: '(Deep-STORM is trained by `npm run train:storm -- --out <folder>`)',
  },
};
