import { Controller, Get, Query } from '@nestjs/common';
import { FleetService } from '@driftwatch/scans';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-responses';
import { CohortDriftView, FleetSummaryView } from '../openapi/api-views';
import { CohortQuery, SummaryQuery } from './fleet.queries';

@ApiTags('fleet')
@Controller('api/v1/fleet')
export class FleetController {
  constructor(private readonly fleet: FleetService) {}

  /** A label cohort's baseline and its hosts, most deviating first. */
  @Get('drift')
  @ApiOkResponse({ type: CohortDriftView })
  @ApiErrors(400, 404)
  drift(@Query() query: CohortQuery) {
    return this.fleet.cohortDrift(query.label);
  }

  @Get('summary')
  @ApiOkResponse({ type: FleetSummaryView })
  @ApiErrors(400)
  summary(@Query() query: SummaryQuery) {
    return this.fleet.summary(query.label);
  }
}
