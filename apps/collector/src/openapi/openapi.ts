import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { CheckResultView } from './api-views';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/** The OpenAPI document of every route the application registered. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('driftwatch')
    .setDescription('Agentless drift detection for Apache httpd + mod_wsgi + Python fleets')
    .setVersion('0.1.0')
    // Once an API token exists every route but /health* needs one (read scope for GET).
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [CheckResultView] });
}

/** Serves the Swagger UI at /api/docs and the document at /api/docs-json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
}
