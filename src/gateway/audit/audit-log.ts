import { Inject, Injectable, Logger } from '@nestjs/common';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { GatewaySettings } from '../server.config';
import type { AuditEntry } from './audit-entry';
import { RingBuffer } from './ring-buffer';

export interface AuditQuery {
  /** Entries that arrived at or after this time. */
  readonly since?: Date;
  readonly limit: number;
}

/**
 * Every operator action, kept in memory (the last `server.audit.memoryEntries`, for GET /api/audit) and appended
 * to `<storage.directory>/audit.jsonl`. Appends are synchronous like the agent's decision log: operator actions are
 * few (rate-limited) and each should be on disk once its answer has gone.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');
  private readonly recent: RingBuffer<AuditEntry>;
  private seq = 0;
  private fileFailed = false;
  readonly file: string | null;

  constructor(@Inject(SCOPE_CONFIG) config: GatewaySettings) {
    this.recent = new RingBuffer(config.server.audit.memoryEntries);
    this.file = config.server.audit.file ? resolve(join(config.storage.directory, 'audit.jsonl')) : null;
  }

  record(entry: Omit<AuditEntry, 'seq'>): AuditEntry {
    const recorded: AuditEntry = { seq: ++this.seq, ...entry };
    this.recent.push(recorded);
    this.append(recorded);
    return recorded;
  }

  /** With `since`, the oldest `limit` entries from then on (to page forward); without, the newest `limit`. */
  query({ since, limit }: AuditQuery): AuditEntry[] {
    const entries = this.recent.toArray();
    if (!since) return entries.slice(-limit);
    const sinceMs = since.getTime();
    return entries.filter((entry) => Date.parse(entry.at) >= sinceMs).slice(0, limit);
  }

  private append(entry: AuditEntry): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
      this.fileFailed = false;
    } catch (err) {
      // Said once per run of failures, not per entry; the entry is still kept in memory.
      if (!this.fileFailed)
        this.logger.error({ msg: `cannot append to the audit file ${this.file}: ${(err as Error).message}`, file: this.file });
      this.fileFailed = true;
    }
  }
}
