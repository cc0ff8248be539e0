import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, configSourcesFromProcess } from './config/load-config';
import { loadConfig } from './scope-config';
import { JsonLogger } from './logging/json-logger';
import { readTlsFiles, TlsFileError } from './gateway/tls-files';
import { useJsonBodies } from './gateway/json-body';
import { mountOpenApiDocs } from './gateway/openapi-docs';
import type { ScopeConfig } from './scope-config';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

export async function createApp(config: ScopeConfig): Promise<INestApplication> {
  const logger = new JsonLogger(config.logging.level);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    httpsOptions: readTlsFiles(config.server.tls),
    bodyParser: false,
  });
  useJsonBodies(app);
  mountOpenApiDocs(app);
  app.enableShutdownHooks();
  return app;
}

async function main(): Promise<void> {
  let config: ScopeConfig;
  let app: INestApplication;
  try {
    config = loadConfig(configSourcesFromProcess(process.argv.slice(2), process.env));
    app = await createApp(config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof TlsFileError) {
      process.stderr.write(`refusing to start: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  await app.listen(config.server.port, config.server.host);
  const url = `${config.server.tls ? 'https' : 'http'}://${config.server.host}:${config.server.port}`;
  new JsonLogger(config.logging.level).log({ msg: `listening on ${url}`, url }, 'Main');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`fatal: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  });
}
