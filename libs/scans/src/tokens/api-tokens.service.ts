import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiTokenEntity, ApiTokenScope, ApiTokensRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';

export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['read', 'admin'];
const TOKEN_PREFIX = 'dw_';

/** What may be shown of a token after its creation: never the token or its digest. */
export interface ApiTokenView {
  id: number;
  name: string;
  scope: ApiTokenScope;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedApiToken extends ApiTokenView {
  /** The bearer token itself; shown once, never stored. */
  token: string;
}

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function viewOf(entity: ApiTokenEntity): ApiTokenView {
  return { id: entity.id, name: entity.name, scope: entity.scope, createdAt: entity.createdAt, revokedAt: entity.revokedAt };
}

/**
 * Bearer tokens for the REST API. A token carries 256 random bits, so a plain sha256 digest is
 * enough to store it: nobody can guess a preimage, and lookups stay one indexed query.
 */
@Injectable()
export class ApiTokensService {
  constructor(private readonly tokens: ApiTokensRepository) {}

  async create(scope: string, name = 'unnamed'): Promise<CreatedApiToken> {
    if (!API_TOKEN_SCOPES.includes(scope as ApiTokenScope)) {
      throw new DomainError(DomainErrorCode.InvalidInput, `scope must be one of: ${API_TOKEN_SCOPES.join(', ')}`);
    }
    if (!name.trim() || name.length > 100) throw new DomainError(DomainErrorCode.InvalidInput, 'name must be 1 to 100 characters');
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const entity = await this.tokens.create(name.trim(), scope as ApiTokenScope, digest(token));
    return { ...viewOf(entity), token };
  }

  async list(): Promise<ApiTokenView[]> {
    return (await this.tokens.list()).map(viewOf);
  }

  async revoke(id: number): Promise<void> {
    if (!Number.isSafeInteger(id) || id < 1) throw new DomainError(DomainErrorCode.InvalidInput, 'token id must be a positive integer');
    if (!(await this.tokens.revoke(id))) throw new DomainError(DomainErrorCode.InvalidInput, `no active token with id ${id}`);
  }

  /** The scope a presented token grants, or null for an unknown or revoked token. */
  async scopeOf(token: string): Promise<ApiTokenScope | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    return (await this.tokens.findActiveByHash(digest(token)))?.scope ?? null;
  }

  /** With no active token the API is open, and the collector only listens on loopback. */
  anyActive(): Promise<boolean> {
    return this.tokens.anyActive();
  }
}
