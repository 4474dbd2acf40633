import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { LivenessView } from '../openapi/api-views';
import { ReadinessRegistry } from './readiness.registry';

@ApiTags('health')
@ApiSecurity({}) // public: no token needed
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** Liveness: the process answers. Nothing outside it is asked, so an outage elsewhere never restarts it. */
  @Get()
  @ApiOkResponse({ type: LivenessView })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every registered check is up; 503 with the details otherwise. */
  @Get('ready')
  @HealthCheck()
  @ApiServiceUnavailableResponse({ description: 'something is down; `details` says what' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database(),
      ...this.readiness.entries().map(([name, check]) => () => this.registered(name, check)),
    ]);
  }

  private async database(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    if (!this.dataSource.isInitialized) return indicator.down({ message: 'database connection closed' });
    try {
      await this.dataSource.query('SELECT 1');
      return indicator.up({ type: this.dataSource.options.type });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'database unavailable' });
    }
  }

  private async registered(name: string, check: () => Promise<{ up: boolean; details?: Record<string, unknown> }>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(name);
    try {
      const { up, details = {} } = await check();
      return up ? indicator.up(details) : indicator.down(details);
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
