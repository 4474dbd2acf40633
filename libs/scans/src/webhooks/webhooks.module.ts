import { Module } from '@nestjs/common';
import { ScansModule } from '../scans.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks listen to the scan bus of ScansModule. Only the long-running collector imports this
 * module: a one-shot CLI scan would exit before its deliveries were done.
 */
@Module({
  imports: [ScansModule],
  providers: [WebhookDeliveryService, WebhooksService],
  exports: [WebhooksService],
})
export class WebhooksModule {}
