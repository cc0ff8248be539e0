import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

const { version } = require('../../package.json') as { version: string };

export const DOCS_PATH = 'api/docs';

/**
 * Serves the OpenAPI description at /api/docs (UI) and /api/docs-json, mounted where the app is created (before
 * Nest installs its 404 handler). The document is built on first request, from every module's controllers.
 */
export function mountOpenApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Scope controller API')
    .setDescription(
      'Microscope control and monitoring. Send `Authorization: Bearer <token>` when the service has tokens ' +
        '(always, when it serves the network). Viewers may read; operators may also move, illuminate and acquire.',
    )
    .setVersion(version)
    .addBearerAuth()
    .build();
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(DOCS_PATH, app, () => (document ??= SwaggerModule.createDocument(app, config)));
}
