import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreatedWebhookView, WebhookView, WebhooksService } from '@driftwatch/scans';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../http/id.pipe';
import { PageQuery } from '../http/queries';
import { CreateWebhookInput } from '../openapi/api-inputs';
import { ApiErrors } from '../openapi/api-responses';
import * as views from '../openapi/api-views';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The answer carries the signing secret; it is never shown again. Needs DRIFTWATCH_SECRET_KEY to seal it. */
  @Post()
  @ApiCreatedResponse({ type: views.CreatedWebhookView, description: 'the webhook with its signing secret, shown this once (stored sealed under DRIFTWATCH_SECRET_KEY)' })
  @ApiErrors(400)
  create(@Body() body: CreateWebhookInput): Promise<CreatedWebhookView> {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOkResponse({ type: [views.WebhookView] })
  list(): Promise<WebhookView[]> {
    return this.webhooks.list();
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: views.DeliveryPageView })
  @ApiErrors(400, 404)
  deliveries(@Param('id', new IdPipe('id')) id: number, @Query() query: PageQuery) {
    return this.webhooks.deliveriesOf(id, query.limit, query.offset);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed with its deliveries' })
  @ApiErrors(400, 404)
  async remove(@Param('id', new IdPipe('id')) id: number): Promise<void> {
    await this.webhooks.remove(id);
  }
}
