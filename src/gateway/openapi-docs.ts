import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { INestApplication } from '@nestjs/common';

const { version } = require('../../package.json') as { version: string };

export const DOCS_PATH = 'api/docs';

/**
 * Serves the OpenAPI description at /api/docs (UI) and /api/docs-json. The gateway mounts it itself so the
 * service's bootstrap needs no change: Swagger reads the routes from the Nest container, which ModuleRef holds,
 * and the routes are added before Nest installs its 404 handler (onModuleInit runs before that). The document
 * is built on first request, when every module's controllers are known.
 */
@Injectable()
export class OpenApiDocs implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const httpAdapter = this.adapterHost.httpAdapter;
    if (!httpAdapter) return;
    const container = (this.moduleRef as unknown as { container: { applicationConfig: unknown } }).container;
    const app = {
      container,
      config: container.applicationConfig,
      getHttpAdapter: () => httpAdapter,
      useStaticAssets: (path: string, options: unknown) =>
        (httpAdapter as unknown as { useStaticAssets(p: string, o: unknown): void }).useStaticAssets(path, options),
    } as unknown as INestApplication;
    let document: OpenAPIObject | undefined;
    const config = new DocumentBuilder()
      .setTitle('Scope controller API')
      .setDescription(
        'Microscope control and monitoring. Send `Authorization: Bearer <token>` when the service has tokens ' +
          '(always, when it serves the network). Viewers may read; operators may also move, illuminate and acquire.',
      )
      .setVersion(version)
      .addBearerAuth()
      .build();
    SwaggerModule.setup(DOCS_PATH, app, () => (document ??= SwaggerModule.createDocument(app, config)));
  }
}
