import { registerCommand } from './main';

// Each command is loaded only when used, so `scope plan` does not pay for the ML runtimes.
registerCommand('version', 'print the version', async () => async () => {
  process.stdout.write(`${(require('../../package.json') as { version: string }).version}\n`);
  return 0;
});

registerCommand('plan', 'preview a useq-schema plan: its events (--events) or sizes, duration and disk use', async () =>
  (await import('./commands/plan.command')).planCommand,
);

registerCommand('acquire', 'run a plan headless (--simulation or a real Micro-Manager) into an OME-TIFF/OME-Zarr data set', async () =>
  (await import('./commands/acquire.command')).acquireCommand,
);

registerCommand('recover', 'finalize a data set whose acquisition was killed (kill -9, power cut, full disk)', async () =>
  (await import('./commands/recover.command')).recoverCommand,
);

registerCommand('token', 'make a client token for server.auth.tokens: prints the token once, and the hash the config stores', async () =>
  (await import('./commands/token.command')).tokenCommand,
);

registerCommand('storm', 'super-resolve a blinking-emitter TIFF stack by Deep-STORM or classical localisation', async () =>
  (await import('../models/cli/scope-commands')).stormCommand,
);

registerCommand('denoise', 'restore every plane of a TIFF stack with a CARE model into an OME-TIFF', async () =>
  (await import('../models/cli/scope-commands')).denoiseCommand,
);

registerCommand('predict', 'run a BioImage Model Zoo model (ONNX weights) on every plane of a TIFF stack into an OME-TIFF', async () =>
  (await import('../models/cli/predict.command')).predictCommand,
);

registerCommand('train', 'train a model: `train care` (CARE from low/high pairs, or Noise2Void from noisy stacks)', async () =>
  (await import('../models/cli/scope-commands')).trainCommand,
);
