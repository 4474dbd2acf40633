import 'reflect-metadata';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { SEVERITY_LEVELS } from '@driftwatch/drift';
import type { WebhookEventType, WebhookSeverity } from '@driftwatch/persistence';
import { WEBHOOK_EVENTS } from './notifications';

// Validation only: the OpenAPI description is apps/collector/src/openapi/api-inputs.ts (Swagger stays out of the library).

/** POST /webhooks. */
export class CreateWebhookInput {
  @IsString({ message: 'url must be an http(s) URL without user or password' })
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true }, { message: 'url must be an http(s) URL without user or password' })
  url: string;

  @IsArray({ message: `events must be a list of ${WEBHOOK_EVENTS.join(', ')}` })
  @ArrayNotEmpty({ message: `events must name at least one of ${WEBHOOK_EVENTS.join(', ')}` })
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `events must each be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events: WebhookEventType[];

  @IsOptional()
  @IsIn(SEVERITY_LEVELS, { message: `minSeverity must be one of ${SEVERITY_LEVELS.join(', ')}` })
  minSeverity: WebhookSeverity = 'info';
}
