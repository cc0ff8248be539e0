export { AgentModule } from './agent.module';
export { AgentService } from './agent.service';
export { decisionLogPath, saveDecisionsBeside } from './decision-log';
export { IlluminationAgent, type AgentStatus, type IlluminationAgentOptions, type RiskPredictor } from './illumination-agent';
export {
  DEFAULT_MITOSIS_DETECTOR,
  detectMitosis,
  type MitosisDetection,
  type MitosisDetectorOptions,
  type MitosisSpot,
  type PhotometricFrame,
} from './observe/mitosis-detector';
export { DEFAULT_MITOSIS_EVENTS, MitosisEvents, type MitosisEvent, type MitosisEventOptions } from './observe/mitosis-events';
export { estimateSnr } from './observe/snr-estimate';
export type { AgentDecision, AgentInputs, AgentMode, DecisionRecord } from './policy/agent-decision';
export { agentParamsSchema, type AgentParams, type AgentParamsInput } from './policy/agent-params';
export { decideIllumination, seededUniform } from './policy/illumination-policy';
