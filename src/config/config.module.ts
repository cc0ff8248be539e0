import { Global, Module, type DynamicModule } from '@nestjs/common';

export const SCOPE_CONFIG = Symbol('SCOPE_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Provides the loaded configuration under SCOPE_CONFIG; each feature injects it typed as the sections it reads. */
  static forRoot(config: object): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: SCOPE_CONFIG, useValue: Object.freeze(config) }],
      exports: [SCOPE_CONFIG],
    };
  }
}
