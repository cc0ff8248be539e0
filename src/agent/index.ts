export { AgentModule } from './agent.module';
export { AgentService } from './agent.service';
export { decisionLogPath, saveDecisionsBeside } from './decision-log';
export { IlluminationAgent, type AgentStatus, type IlluminationAgentOptions, type RiskPredictor } from './illumination-agent';
export { detectMitosis, type MitosisDetectorOptions, type PhotometricFrame } from './observe/mitosis-detector';
export { estimateSnr } from './observe/snr-estimate';
export type { AgentDecision, AgentInputs, AgentMode, DecisionRecord } from './policy/agent-decision';
export { agentParamsSchema, type AgentParams, type AgentParamsInput } from './policy/agent-params';
export { decideIllumination, seededUniform } from './policy/illumination-policy';
