/**
 * The service's configuration, composed from above: each feature owns its sections' schemas and says which
 * sections it reads (its *Settings type); this file puts them together, and the compiler checks that the whole
 * gives every feature what it reads. src/config only loads and provides it.
 */
import { z } from 'zod';
import { acquisitionConfigSchema, liveConfigSchema, storageConfigSchema, type AcquisitionSettings } from './acquisition/acquisition.config';
import { agentConfigSchema, type AgentSettings } from './agent/agent.config';
import { loadConfigWith, type ConfigSources } from './config/load-config';
import { serverConfigSchema, type GatewaySettings } from './gateway/server.config';
import {
  hardwareConfigSchema,
  microManagerConfigSchema,
  safetyConfigSchema,
  simulationConfigSchema,
  type HardwareSettings,
} from './hardware/hardware.config';
import { jobsConfigSchema, type JobsSettings } from './jobs/jobs.config';
import { careTrainingConfigSchema, type CareTrainingSettings } from './models/care/care-training.config';
import { modelsConfigSchema, type ModelsSettings } from './models/models.config';

export const configSchema = z
  .object({
    simulation: simulationConfigSchema,
    microManager: microManagerConfigSchema,
    server: serverConfigSchema,
    live: liveConfigSchema,
    hardware: hardwareConfigSchema,
    safety: safetyConfigSchema,
    acquisition: acquisitionConfigSchema,
    storage: storageConfigSchema,
    logging: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']) }).strict(),
    models: modelsConfigSchema,
    agent: agentConfigSchema,
    careTraining: careTrainingConfigSchema,
    jobs: jobsConfigSchema,
  })
  .strict()
  .superRefine((config, ctx) => {
    // the user's bound on the agent's exposure sits inside the envelope's, never beyond it
    const agentMax = config.agent.params.maxExposureMs;
    const envelopeMax = config.safety.light.maxExposureMs;
    if (agentMax !== undefined && agentMax > envelopeMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['agent', 'params', 'maxExposureMs'],
        message: `must not exceed safety.light.maxExposureMs (${agentMax} > ${envelopeMax})`,
      });
    }
  });

export type ScopeConfig = z.infer<typeof configSchema>;

/** Fails to compile when the composed configuration lacks a section some feature reads. */
type Gives<T extends U, U> = T;
export type FeaturesAreServed = [
  Gives<ScopeConfig, HardwareSettings>,
  Gives<ScopeConfig, AcquisitionSettings>,
  Gives<ScopeConfig, AgentSettings>,
  Gives<ScopeConfig, ModelsSettings>,
  Gives<ScopeConfig, GatewaySettings>,
  Gives<ScopeConfig, CareTrainingSettings>,
  Gives<ScopeConfig, JobsSettings>,
];

/** config/default.yaml, then the file, then the overrides; throws ConfigError naming every problem. */
export function loadConfig(sources: ConfigSources = {}): ScopeConfig {
  return loadConfigWith(configSchema, sources);
}
