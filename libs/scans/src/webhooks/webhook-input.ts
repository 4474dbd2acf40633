import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { SEVERITY_LEVELS } from '@driftwatch/drift';
import type { WebhookEventType, WebhookSeverity } from '@driftwatch/persistence';
import { WEBHOOK_EVENTS } from './notifications';

/** POST /webhooks. */
export class CreateWebhookInput {
  @ApiProperty({ example: 'https://hooks.example.com/driftwatch', description: 'http(s), without user or password' })
  @IsString({ message: 'url must be an http(s) URL without user or password' })
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true }, { message: 'url must be an http(s) URL without user or password' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray({ message: `events must be a list of ${WEBHOOK_EVENTS.join(', ')}` })
  @ArrayNotEmpty({ message: `events must name at least one of ${WEBHOOK_EVENTS.join(', ')}` })
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `events must each be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events: WebhookEventType[];

  @ApiPropertyOptional({ enum: SEVERITY_LEVELS, default: 'info', description: 'drift and finding events below this level are not sent' })
  @IsOptional()
  @IsIn(SEVERITY_LEVELS, { message: `minSeverity must be one of ${SEVERITY_LEVELS.join(', ')}` })
  minSeverity: WebhookSeverity = 'info';
}
