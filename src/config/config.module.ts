import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ScopeConfig } from './config.schema';

export const SCOPE_CONFIG = Symbol('SCOPE_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ScopeConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: SCOPE_CONFIG, useValue: Object.freeze(config) }],
      exports: [SCOPE_CONFIG],
    };
  }
}
