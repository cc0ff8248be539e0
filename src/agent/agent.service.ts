import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Observable, Subscription } from 'rxjs';
import { AcquisitionService } from '../acquisition/service/acquisition.service';
import { SCOPE_CONFIG } from '../config/config.module';
import type { AgentSettings } from './agent.config';
import { loadPhototoxPredictor, type PhototoxPredictor } from '../models/phototox';
import { saveDecisionsBeside } from './decision-log';
import { IlluminationAgent, type AgentStatus } from './illumination-agent';
import type { AgentParamsInput } from './policy/agent-params';
import type { DecisionRecord } from './policy/agent-decision';

/**
 * The agent inside the service: hooked into every acquisition, off unless configured on (`agent.enabled`) or
 * switched on at api/agent; then it steers the light of the events, which the engine applies through the hardware
 * envelope. Its settings come from `agent.params`; its decisions stream on decisions$ and are saved beside each
 * run's data set.
 */
@Injectable()
export class AgentService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Agent');
  readonly agent: IlluminationAgent;
  private removeHook?: () => void;
  private lifecycle?: Subscription;
  private log?: Subscription;

  constructor(
    private readonly acquisitions: AcquisitionService,
    @Inject(SCOPE_CONFIG) config: AgentSettings,
  ) {
    let predictor: PhototoxPredictor | undefined;
    try {
      predictor = loadPhototoxPredictor();
    } catch (err) {
      // Without a predictor every decision is a fallback: the lowest adequate light.
      this.logger.warn({ msg: `no phototoxicity predictor: ${(err as Error).message}` });
    }
    this.agent = new IlluminationAgent({ predictor, observe: 'bounded', params: config.agent.params });
    this.agent.setEnabled(config.agent.enabled);
  }

  get decisions$(): Observable<DecisionRecord> {
    return this.agent.decisions$;
  }

  onModuleInit(): void {
    this.removeHook = this.acquisitions.addHook(this.agent);
    this.lifecycle = this.acquisitions.lifecycle$.subscribe((event) => {
      if (event.type !== 'started') return;
      this.agent.reset(this.runParams(event.progress.acquisitionId));
      this.log?.unsubscribe();
      const { path } = this.acquisitions.dataset(event.progress.acquisitionId);
      this.log = saveDecisionsBeside(path, this.agent.decisions$).subscription;
    });
  }

  onModuleDestroy(): void {
    this.removeHook?.();
    this.lifecycle?.unsubscribe();
    this.log?.unsubscribe();
    this.agent.complete();
  }

  /** The plan's own interval is the agent's base interval, its duration the experiment the dose budget spans. */
  private runParams(acquisitionId: string): Partial<AgentParamsInput> {
    const { layout } = this.acquisitions.dataset(acquisitionId);
    const intervalS = layout.timeIntervalMs !== undefined && layout.timeIntervalMs > 0 ? layout.timeIntervalMs / 1000 : undefined;
    if (intervalS === undefined) return {};
    const base = this.agent.params;
    return {
      baseIntervalS: intervalS,
      eventIntervalS: Math.min(base.eventIntervalS, intervalS),
      maxIntervalS: Math.max(base.maxIntervalS, intervalS),
      experimentDurationS: Math.max(intervalS, intervalS * (layout.sizes.t - 1)),
    };
  }

  status(): AgentStatus {
    return this.agent.status();
  }

  switchOn(): AgentStatus {
    this.agent.setEnabled(true);
    this.logger.log({ msg: 'agent switched on' });
    return this.status();
  }

  switchOff(): AgentStatus {
    this.agent.setEnabled(false);
    this.logger.log({ msg: 'agent switched off' });
    return this.status();
  }

  /** A manual illumination (%), which wins over the agent's decisions; null gives control back. */
  override(illuminationPercent: number | null): AgentStatus {
    this.agent.setOverride(illuminationPercent);
    this.logger.log({ msg: illuminationPercent === null ? 'manual override cleared' : `manual override: ${illuminationPercent} %` });
    return this.status();
  }
}
