import { Controller, Get, Query } from '@nestjs/common';
import { FleetService } from '@driftwatch/scans';
import { CohortQuery, SummaryQuery } from './fleet.queries';

@Controller('api/v1/fleet')
export class FleetController {
  constructor(private readonly fleet: FleetService) {}

  /** A label cohort's baseline and its hosts, most deviating first. */
  @Get('drift')
  drift(@Query() query: CohortQuery) {
    return this.fleet.cohortDrift(query.label);
  }

  @Get('summary')
  summary(@Query() query: SummaryQuery) {
    return this.fleet.summary(query.label);
  }
}
