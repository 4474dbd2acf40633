import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '@driftwatch/scans';
import type { Response } from 'express';

function statusOf(code: DomainErrorCode): HttpStatus {
  switch (code) {
    case DomainErrorCode.HostNotFound:
    case DomainErrorCode.SnapshotNotFound:
    case DomainErrorCode.ScanRunNotFound:
    case DomainErrorCode.WebhookNotFound:
      return HttpStatus.NOT_FOUND;
    case DomainErrorCode.HostExists:
      return HttpStatus.CONFLICT;
    case DomainErrorCode.HostUnavailable:
      return HttpStatus.BAD_GATEWAY;
    case DomainErrorCode.NoWorker:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case DomainErrorCode.NoHostsSelected:
    case DomainErrorCode.InvalidInput:
      return HttpStatus.BAD_REQUEST;
  }
}

/**
 * The one place errors become HTTP: domain errors by code, HTTP exceptions as they are, and
 * anything unexpected as a 500 with a correlation id that the log line carries too.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const status = statusOf(exception.code);
      response.status(status).json({ statusCode: status, error: exception.code, message: exception.message });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      // Health checks answer 503 with what is down; keep that part of the body.
      const details = typeof body === 'object' && body !== null && 'details' in body ? { details: (body as { details: unknown }).details } : {};
      response.status(status).json({ statusCode: status, error: HttpStatus[status] ?? 'Error', message: Array.isArray(message) ? message.join('; ') : message, ...details });
      return;
    }
    const bodyParserStatus = (exception as { status?: number; type?: string })?.type ? (exception as { status?: number }).status : undefined;
    if (bodyParserStatus && bodyParserStatus >= 400 && bodyParserStatus < 500) {
      response.status(bodyParserStatus).json({ statusCode: bodyParserStatus, error: HttpStatus[bodyParserStatus], message: 'request body is not valid JSON or is too large' });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      response.status(503).setHeader('Retry-After', '5');
      response.json({ statusCode: 503, error: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; retry shortly' });
      return;
    }
    const correlationId = randomUUID();
    this.logger.error(`unhandled error ${correlationId}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    response.status(500).json({ statusCode: 500, error: 'INTERNAL', message: 'internal error', correlationId });
  }
}
