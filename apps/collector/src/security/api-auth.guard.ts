import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ApiTokensService } from '@driftwatch/scans';
import type { Request } from 'express';

const READ_METHODS = new Set(['GET', 'HEAD']);

function isPublic(path: string): boolean {
  return path === '/health' || path.startsWith('/health/');
}

function bearerOf(request: Request): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * The token check of every route but /health, once at least one token exists: throws 401 or
 * 403 (HttpException) when the request may not go on. Read tokens may only read.
 */
export async function checkApiAccess(tokens: ApiTokensService, request: Request): Promise<void> {
  if (isPublic(request.path)) return;
  const token = bearerOf(request);
  if (token === undefined) {
    if (!(await tokens.anyActive())) return;
    throw new UnauthorizedException('an API token is required: Authorization: Bearer <token>');
  }
  const scope = await tokens.scopeOf(token);
  if (scope === null) throw new UnauthorizedException('the API token is unknown or revoked');
  if (scope === 'read' && !READ_METHODS.has(request.method)) throw new ForbiddenException('this API token has read scope and cannot change anything');
}

/**
 * Bearer tokens on every controller route but /health (checkApiAccess). Until a token is
 * created the API is open and the collector listens on loopback only (see listenAddressFor).
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(private readonly tokens: ApiTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    await checkApiAccess(this.tokens, context.switchToHttp().getRequest<Request>());
    return true;
  }
}
