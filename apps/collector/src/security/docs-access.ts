import { HttpException, HttpStatus, INestApplication } from '@nestjs/common';
import { ApiTokensService } from '@driftwatch/scans';
import type { NextFunction, Request, Response } from 'express';
import { checkApiAccess } from './api-auth.guard';

/**
 * /api/docs and /api/docs-json are served by Express directly, past Nest's guards: the same
 * token check is applied here, so the API's description is no more public than the API.
 */
export function protectApiDocs(app: INestApplication, docsPath: string): void {
  const tokens = app.get(ApiTokensService);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!request.path.startsWith(`/${docsPath}`)) return next();
    checkApiAccess(tokens, request).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof HttpException)) return next(error);
        const status = error.getStatus();
        response.status(status).json({ statusCode: status, error: HttpStatus[status], message: error.message });
      },
    );
  });
}
