import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { ScansModule } from '../scans.module';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks listen to the scan bus of ScansModule. Only the long-running collector imports this
 * module: a one-shot CLI scan would exit before its deliveries were done.
 */
@Module({
  imports: [ScansModule],
  providers: [
    { provide: WebhookAddressPolicy, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new WebhookAddressPolicy(config.webhooks.allowPrivate) },
    WebhookDeliveryService,
    WebhooksService,
  ],
  exports: [WebhooksService],
})
export class WebhooksModule {}
