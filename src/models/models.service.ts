import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ScopeConfig } from '../config/config.schema';
import { selectRuntime, type RuntimeReport } from './runtime-probe';

@Injectable()
export class ModelsService implements OnModuleInit {
  private readonly logger = new Logger('Models');
  private report!: RuntimeReport;

  constructor(@Inject(SCOPE_CONFIG) private readonly config: ScopeConfig) {}

  onModuleInit(): void {
    this.report = selectRuntime(this.config.models.runtime);
    this.logger.log({
      msg: this.report.selected
        ? `inference runtime: ${this.report.selected}`
        : 'no inference runtime installed: model features are unavailable',
      runtime: this.report.selected,
      preference: this.report.preference,
    });
  }

  runtime(): RuntimeReport {
    return this.report;
  }
}
