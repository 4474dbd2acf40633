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
 * Bearer tokens on every route but /health, once at least one token exists. Read tokens may
 * only read. Until a token is created the API is open and the collector listens on loopback only
 * (see listenAddressFor).
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(private readonly tokens: ApiTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (isPublic(request.path)) return true;
    const token = bearerOf(request);
    if (token === undefined) {
      if (!(await this.tokens.anyActive())) return true;
      throw new UnauthorizedException('an API token is required: Authorization: Bearer <token>');
    }
    const scope = await this.tokens.scopeOf(token);
    if (scope === null) throw new UnauthorizedException('the API token is unknown or revoked');
    if (scope === 'read' && !READ_METHODS.has(request.method)) throw new ForbiddenException('this API token has read scope and cannot change anything');
    return true;
  }
}
