import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { Semaphore } from './semaphore';

/**
 * The process's SCAN_CONCURRENCY: every scan of a run or a schedule takes a slot, so runs and
 * ticks that overlap never have more than that many hosts in flight together.
 */
@Injectable()
export class ScanSlots extends Semaphore {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.scan.concurrency);
  }
}
