import { BadRequestException, Body, Controller, Get, Header, HttpCode, NotFoundException, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { AgentService } from '../../agent/agent.service';
import { AgentEvaluationStore, NoAgentEvaluationError, type AgentEvaluationDocument } from '../../agent/evaluation-store';
import type { AgentStatus } from '../../agent/illumination-agent';
import { decisionsPage, type DecisionsPage } from './decisions-query';

const overrideSchema = z.object({ illuminationPercent: z.number().finite().min(0).max(100).nullable() }).strict();

/** REST for the agent: status, its decisions, on/off, manual override. Thin: validation here, behaviour in AgentService. */
@Controller('api/agent')
export class AgentController {
  constructor(
    private readonly agent: AgentService,
    private readonly evaluations: AgentEvaluationStore,
  ) {}

  @Get()
  status(): AgentStatus {
    return this.agent.status();
  }

  /** A run's decisions with their reasons, a page at a time (decisions-query.ts). */
  @Get('decisions')
  decisions(@Query() query: unknown): Promise<DecisionsPage> {
    return decisionsPage(this.agent.journal, query);
  }

  /** The latest `npm run bench -- agent`: the policies' table, Pareto front and verdicts; 404 when there is none. */
  @Get('evaluation')
  evaluation(): Promise<AgentEvaluationDocument> {
    return notFoundIfNone(this.evaluations.table());
  }

  /** Its plot: dose against SSIM during mitoses, cells alive as marker size and colour. */
  @Get('evaluation.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  evaluationPlot(): Promise<string> {
    return notFoundIfNone(this.evaluations.plot());
  }

  @Post('on')
  @HttpCode(200)
  on(): AgentStatus {
    return this.agent.switchOn();
  }

  @Post('off')
  @HttpCode(200)
  off(): AgentStatus {
    return this.agent.switchOff();
  }

  @Post('override')
  @HttpCode(200)
  override(@Body() body: unknown): AgentStatus {
    const parsed = overrideSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'override needs {"illuminationPercent": number 0–100 | null}',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      });
    }
    return this.agent.override(parsed.data.illuminationPercent);
  }
}

async function notFoundIfNone<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (err) {
    if (err instanceof NoAgentEvaluationError) throw new NotFoundException(err.message);
    throw err;
  }
}
