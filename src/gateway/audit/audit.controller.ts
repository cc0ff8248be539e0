import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodBodyPipe } from '../control/zod-body.pipe';
import type { AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';

const auditQuerySchema = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** Reading the audit is for operators only (see access-policy): it shows who did what, from where. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    summary: 'Operator actions (operators only): ?since=<ISO time> pages forward from then, else the newest; ?limit= (100, at most 1000)',
  })
  entries(@Query(new ZodBodyPipe(auditQuerySchema)) query: z.infer<typeof auditQuerySchema>): {
    entries: AuditEntry[];
    file: string | null;
  } {
    return {
      entries: this.audit.query({ since: query.since ? new Date(query.since) : undefined, limit: query.limit }),
      file: this.audit.file,
    };
  }
}
