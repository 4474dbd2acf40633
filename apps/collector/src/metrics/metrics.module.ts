import { Global, Module } from '@nestjs/common';
import { ScansModule } from '@driftwatch/scans';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** /metrics; MetricsService is global so other modules can add a queue depth source. */
@Global()
@Module({
  imports: [ScansModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
