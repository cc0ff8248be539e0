import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { AgentService } from '../../agent/agent.service';
import type { AgentStatus } from '../../agent/illumination-agent';
import { decisionsPage, type DecisionsPage } from './decisions-query';

const overrideSchema = z.object({ illuminationPercent: z.number().finite().min(0).max(100).nullable() }).strict();

/** REST for the agent: status, its decisions, on/off, manual override. Thin: validation here, behaviour in AgentService. */
@Controller('api/agent')
export class AgentController {
  constructor(private readonly agent: AgentService) {}

  @Get()
  status(): AgentStatus {
    return this.agent.status();
  }

  /** A run's decisions with their reasons, a page at a time (decisions-query.ts). */
  @Get('decisions')
  decisions(@Query() query: unknown): Promise<DecisionsPage> {
    return decisionsPage(this.agent.journal, query);
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
