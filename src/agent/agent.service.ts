import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { basename } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import { AcquisitionService } from '../acquisition/service/acquisition.service';
import { SCOPE_CONFIG } from '../config/config.module';
import type { AgentSettings } from './agent.config';
import { loadPhototoxPredictor, type PhototoxPredictor } from '../models/phototox';
import { DecisionJournal } from './decision-log';
import { IlluminationAgent, type AgentStatus } from './illumination-agent';
import { agentParamsSchema, type AgentParams, type AgentParamsInput } from './policy/agent-params';
import type { DecisionRecord } from './policy/agent-decision';
import { boundsFrom, type AgentBounds } from './policy/agent-bounds';

/**
 * The agent inside the service: hooked into every acquisition, off unless configured on (`agent.enabled`) or
 * switched on at api/agent; then it steers the light of the events, which the engine applies through the hardware
 * envelope, within the user's bounds on interval and exposure. Its settings come from `agent.params`; its
 * decisions stream on decisions$ and are saved beside each run's data set as they are made (`journal`).
 */
@Injectable()
export class AgentService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Agent');
  readonly agent: IlluminationAgent;
  /** Every run's decisions, in its data set's log, paged by api/agent/decisions. */
  readonly journal: DecisionJournal;
  private readonly configured: AgentParams;
  private readonly envelopeMaxExposureMs: number;
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
    this.configured = agentParamsSchema.parse(config.agent.params);
    this.envelopeMaxExposureMs = config.safety.light.maxExposureMs;
    this.journal = new DecisionJournal(config.storage.directory);
    this.agent = new IlluminationAgent({
      predictor,
      observe: 'bounded',
      params: config.agent.params,
      envelopeMaxExposureMs: this.envelopeMaxExposureMs,
    });
    this.agent.setEnabled(config.agent.enabled);
  }

  get decisions$(): Observable<DecisionRecord> {
    return this.agent.decisions$;
  }

  /** The bounds as configured (a run's own plan only sets what they are relative to). */
  get bounds(): AgentBounds {
    return boundsFrom(this.configured, this.envelopeMaxExposureMs);
  }

  onModuleInit(): void {
    this.removeHook = this.acquisitions.addHook(this.agent.hooks());
    this.log = this.agent.decisions$.subscribe((record) => this.journal.append(record));
    this.lifecycle = this.acquisitions.lifecycle$.subscribe((event) => {
      if (event.type !== 'started') return;
      const { acquisitionId } = event.progress;
      const { forRun, plannedIntervalS } = this.runParams(acquisitionId);
      this.agent.reset(forRun, plannedIntervalS);
      const log = this.journal.open(acquisitionId, this.acquisitions.dataset(acquisitionId).path);
      // the data set says where the agent's reasons are, once there are any
      this.acquisitions.annotate(acquisitionId, 'agentDecisions', () =>
        this.journal.count(acquisitionId) > 0 ? basename(log) : undefined,
      );
      this.acquisitions.annotate(acquisitionId, 'agentDecisionCount', () => {
        const count = this.journal.count(acquisitionId);
        return count > 0 ? String(count) : undefined;
      });
    });
  }

  onModuleDestroy(): void {
    this.removeHook?.();
    this.lifecycle?.unsubscribe();
    this.log?.unsubscribe();
    this.agent.complete();
  }

  /**
   * The plan's own interval is the agent's base interval, its duration the experiment the dose budget spans; only
   * an event interval shorter than the plan's lets it go faster. The policy keeps its own longest interval: the
   * user's bound (intervalStretchMax × planned) holds whatever it proposes, and each decision records it did.
   */
  private runParams(acquisitionId: string): { forRun: Partial<AgentParamsInput>; plannedIntervalS: number | null } {
    const { layout } = this.acquisitions.dataset(acquisitionId);
    const intervalS = layout.timeIntervalMs !== undefined && layout.timeIntervalMs > 0 ? layout.timeIntervalMs / 1000 : undefined;
    if (intervalS === undefined) return { forRun: {}, plannedIntervalS: null };
    const base = this.configured;
    return {
      forRun: {
        baseIntervalS: intervalS,
        eventIntervalS: Math.min(base.eventIntervalS, intervalS),
        maxIntervalS: Math.max(base.maxIntervalS, intervalS),
        experimentDurationS: Math.max(intervalS, intervalS * (layout.sizes.t - 1)),
      },
      plannedIntervalS: intervalS,
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
