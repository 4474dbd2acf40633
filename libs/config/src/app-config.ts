import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

function list(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

/** Environment variables the collector and CLI read, validated once at start-up. */
export class EnvironmentVariables {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsOptional() @IsString()
  HOST = '127.0.0.1';

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { message: 'DATABASE_URL must be sqlite:<path> or postgres://…' })
  DATABASE_URL = 'sqlite:data/driftwatch.sqlite';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(4096)
  SCAN_CONCURRENCY = 64;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100)
  SSH_CONNECT_TIMEOUT_MS = 10_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100)
  SSH_COMMAND_TIMEOUT_MS = 60_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  SSH_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

  @IsOptional() @Transform(({ value }) => list(value))
  DRIFT_IGNORE: string[] = [];

  @IsOptional() @IsIn(['debug', 'log', 'warn', 'error'])
  LOG_LEVEL = 'log';

  /** Requests per minute per client address; 0 turns rate limiting off. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  API_RATE_LIMIT = 600;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  API_BODY_LIMIT_BYTES = 1024 * 1024;
}

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  scan: {
    concurrency: number;
    connectTimeoutMs: number;
    commandTimeoutMs: number;
    maxOutputBytes: number;
  };
  drift: { ignore: string[] };
  logLevel: 'debug' | 'log' | 'warn' | 'error';
  api: { rateLimitPerMinute: number; bodyLimitBytes: number };
}

export class ConfigError extends Error {}

/** Validates the environment and returns the one typed config object; throws naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: false });
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
  return {
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    scan: {
      concurrency: vars.SCAN_CONCURRENCY,
      connectTimeoutMs: vars.SSH_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: vars.SSH_COMMAND_TIMEOUT_MS,
      maxOutputBytes: vars.SSH_MAX_OUTPUT_BYTES,
    },
    drift: { ignore: vars.DRIFT_IGNORE },
    logLevel: vars.LOG_LEVEL as AppConfig['logLevel'],
    api: { rateLimitPerMinute: vars.API_RATE_LIMIT, bodyLimitBytes: vars.API_BODY_LIMIT_BYTES },
  };
}
