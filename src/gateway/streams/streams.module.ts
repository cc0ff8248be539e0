import { Global, Module } from '@nestjs/common';
import { StreamsRegistry } from './streams.registry';

/**
 * Global and dependency-free so that any module (models, agent) can offer a stream to the dashboard by
 * injecting StreamsRegistry, without depending on the gateway itself.
 */
@Global()
@Module({ providers: [StreamsRegistry], exports: [StreamsRegistry] })
export class StreamsModule {}
