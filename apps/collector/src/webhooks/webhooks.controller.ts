import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreateWebhookInput, CreatedWebhookView, WebhookView, WebhooksService } from '@driftwatch/scans';
import { IdPipe } from '../http/id.pipe';
import { PageQuery } from '../http/queries';

@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The answer carries the signing secret; it is never shown again. */
  @Post()
  create(@Body() body: CreateWebhookInput): Promise<CreatedWebhookView> {
    return this.webhooks.create(body);
  }

  @Get()
  list(): Promise<WebhookView[]> {
    return this.webhooks.list();
  }

  @Get(':id/deliveries')
  deliveries(@Param('id', new IdPipe('id')) id: number, @Query() query: PageQuery) {
    return this.webhooks.deliveriesOf(id, query.limit, query.offset);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new IdPipe('id')) id: number): Promise<void> {
    await this.webhooks.remove(id);
  }
}
