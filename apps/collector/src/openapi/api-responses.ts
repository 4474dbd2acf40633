import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { ErrorView } from './api-views';

/** The error answers a route can give, each with the one error body shape. */
export function ApiErrors(...statuses: Array<400 | 404 | 409>): MethodDecorator & ClassDecorator {
  const byStatus = {
    400: ApiBadRequestResponse({ type: ErrorView, description: 'invalid input; the message names the field' }),
    404: ApiNotFoundResponse({ type: ErrorView, description: 'no such host, snapshot, scan run or webhook' }),
    409: ApiConflictResponse({ type: ErrorView, description: 'a host with this name exists' }),
  };
  return applyDecorators(...statuses.map((s) => byStatus[s]));
}
