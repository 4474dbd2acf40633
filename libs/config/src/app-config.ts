import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, Validate, validateSync } from 'class-validator';
import { CronOrOff, LabelSchedule, LabelSchedules, parseLabelSchedules } from './schedules';
import { parseSecretKey, SecretKey } from './secret-key';

export type Role = 'all' | 'api' | 'scheduler' | 'worker';

/** `true`/`1` and `false`/`0` as booleans; anything else is left for @IsBoolean to refuse. */
function flag({ value }: { value: unknown }): unknown {
  return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
}

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

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10)
  SCAN_RETRIES = 2;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(600_000)
  SCAN_RETRY_BACKOFF_MS = 1_000;

  /** How long a scan keeps trying to store its result while the database is away. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3_600_000)
  DB_RETRY_WINDOW_MS = 60_000;

  @IsOptional() @Validate(CronOrOff)
  SCAN_SCHEDULE = '0 * * * *';

  @IsOptional() @Validate(LabelSchedules)
  SCAN_SCHEDULE_LABELS = '';

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(86_400)
  SCAN_SPLAY_SECONDS = 0;

  /** Days scan attempts are kept (those that saw a new state or a status change are kept longer); 0 keeps them all. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(36_500)
  SCAN_RETENTION_DAYS = 90;

  /** Days a state no longer current is kept after it was last seen; unset or 0 keeps every state. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(36_500)
  STATE_RETENTION_DAYS?: number;

  /** Days delivered or failed webhook deliveries are kept; 0 keeps them all. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(36_500)
  WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

  @IsOptional() @Validate(CronOrOff)
  PRUNE_SCHEDULE = '17 3 * * *';

  /** Rows one prune batch examines or deletes (at most 10,000: a batch binds one parameter per id); each batch is its own short write. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  PRUNE_BATCH_SIZE = 1000;

  @IsOptional() @IsIn(['all', 'api', 'scheduler', 'worker'])
  DRIFTWATCH_ROLE = 'all';

  @IsOptional() @Matches(/^rediss?:\/\/.+$/, { message: 'REDIS_URL must be redis://host:port or rediss://…' })
  REDIS_URL?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits, _ or -' })
  QUEUE_PREFIX = 'driftwatch';

  @IsOptional() @Type(() => Number) @IsInt() @Min(500) @Max(600_000)
  QUEUE_LOCK_MS = 30_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(500) @Max(600_000)
  QUEUE_STALLED_INTERVAL_MS = 30_000;

  @IsOptional() @IsIn(['debug', 'log', 'warn', 'error'])
  LOG_LEVEL = 'log';

  @IsOptional() @IsIn(['json', 'text', 'auto'])
  LOG_FORMAT = 'auto';

  @IsOptional() @IsIn(['pinned', 'known-hosts', 'accept-new'], { message: 'HOST_KEY_POLICY must be pinned, known-hosts or accept-new' })
  HOST_KEY_POLICY = 'accept-new';

  @IsOptional() @Matches(/^\/[^\0\n\r]*$/, { message: 'KNOWN_HOSTS_FILE must be an absolute path' })
  KNOWN_HOSTS_FILE?: string;

  @IsOptional() @Transform(flag)
  @IsBoolean({ message: 'ALLOW_PASSWORD_AUTH must be true or false' })
  ALLOW_PASSWORD_AUTH = false;

  /** 32 bytes, base64 or hex; validated (and masked) by parseSecretKey. */
  @IsOptional() @IsString()
  DRIFTWATCH_SECRET_KEY?: string;

  /** The key secrets were sealed with before a rotation; read only to open them. */
  @IsOptional() @IsString()
  DRIFTWATCH_SECRET_KEY_PREVIOUS?: string;
  /** Requests per minute per client address; 0 turns rate limiting off. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  API_RATE_LIMIT = 600;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  API_BODY_LIMIT_BYTES = 1024 * 1024;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20)
  WEBHOOK_MAX_ATTEMPTS = 5;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  WEBHOOK_RETRY_BASE_MS = 2_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Webhook URLs on loopback, link-local and private addresses are refused unless this is on. */
  @IsOptional() @Transform(flag)
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' })
  WEBHOOK_ALLOW_PRIVATE = false;
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
  retry: {
    /** Further attempts after a transient failure (timeout, dropped connection). */
    retries: number;
    /** Wait before the first retry; doubles for each further one. */
    backoffMs: number;
    /** How long storing a scan's result is retried while the database is unavailable. */
    databaseWindowMs: number;
  };
  schedule: {
    /** Cron for all hosts, or null when SCAN_SCHEDULE=off. */
    all: string | null;
    /** Extra schedules for the hosts carrying a label. */
    labels: LabelSchedule[];
    splaySeconds: number;
  };
  retention: RetentionPolicy;
  /** Cron of the scheduled prune, or null when PRUNE_SCHEDULE=off. */
  pruneSchedule: string | null;
  role: Role;
  /** Scan jobs through BullMQ on Redis; null keeps everything in-process. */
  queue: { redisUrl: string; prefix: string; lockMs: number; stalledIntervalMs: number } | null;
  /**
   * Attempts per delivery; the n-th retry waits retryBaseMs × 2^(n-1). allowPrivate: webhook
   * URLs may name (or resolve to) loopback, link-local and private addresses.
   */
  webhooks: { maxAttempts: number; retryBaseMs: number; timeoutMs: number; allowPrivate: boolean };
  logLevel: 'debug' | 'log' | 'warn' | 'error';
  /** `auto`: text on a terminal, JSON lines otherwise. */
  logFormat: 'json' | 'text' | 'auto';
  access: {
    /** Policy of hosts registered without one. */
    hostKeyPolicy: 'pinned' | 'known-hosts' | 'accept-new';
    /** known_hosts file of hosts registered without their own. */
    knownHostsFile: string | null;
    /** Password logins are refused unless this is on (and then only for hosts that ask for one). */
    allowPasswordAuth: boolean;
    /** Seals stored secrets; null: storing a secret is refused. */
    secretKey: SecretKey | null;
    /** Opens secrets sealed before a rotation. */
    previousSecretKey: SecretKey | null;
  };
  api: { rateLimitPerMinute: number; bodyLimitBytes: number };
}

/** How long history is kept; null keeps that kind of row forever. */
export interface RetentionPolicy {
  scanDays: number | null;
  stateDays: number | null;
  deliveryDays: number | null;
  batchSize: number;
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
  if (vars.DRIFTWATCH_ROLE === 'worker' && !vars.REDIS_URL) {
    throw new ConfigError('invalid configuration: DRIFTWATCH_ROLE: a worker takes scan jobs from Redis and needs REDIS_URL');
  }
  const secretKey = secretKeyFrom('DRIFTWATCH_SECRET_KEY', vars.DRIFTWATCH_SECRET_KEY);
  const previousSecretKey = secretKeyFrom('DRIFTWATCH_SECRET_KEY_PREVIOUS', vars.DRIFTWATCH_SECRET_KEY_PREVIOUS);
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
    retry: { retries: vars.SCAN_RETRIES, backoffMs: vars.SCAN_RETRY_BACKOFF_MS, databaseWindowMs: vars.DB_RETRY_WINDOW_MS },
    schedule: {
      all: vars.SCAN_SCHEDULE.trim() === 'off' ? null : vars.SCAN_SCHEDULE.trim(),
      labels: parseLabelSchedules(vars.SCAN_SCHEDULE_LABELS),
      splaySeconds: vars.SCAN_SPLAY_SECONDS,
    },
    retention: {
      scanDays: vars.SCAN_RETENTION_DAYS || null,
      stateDays: vars.STATE_RETENTION_DAYS || null,
      deliveryDays: vars.WEBHOOK_DELIVERY_RETENTION_DAYS || null,
      batchSize: vars.PRUNE_BATCH_SIZE,
    },
    pruneSchedule: vars.PRUNE_SCHEDULE.trim() === 'off' ? null : vars.PRUNE_SCHEDULE.trim(),
    role: vars.DRIFTWATCH_ROLE as Role,
    queue: vars.REDIS_URL
      ? { redisUrl: vars.REDIS_URL, prefix: vars.QUEUE_PREFIX, lockMs: vars.QUEUE_LOCK_MS, stalledIntervalMs: vars.QUEUE_STALLED_INTERVAL_MS }
      : null,
    webhooks: {
      maxAttempts: vars.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: vars.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
      allowPrivate: vars.WEBHOOK_ALLOW_PRIVATE,
    },
    logLevel: vars.LOG_LEVEL as AppConfig['logLevel'],
    logFormat: vars.LOG_FORMAT as AppConfig['logFormat'],
    access: {
      hostKeyPolicy: vars.HOST_KEY_POLICY as AppConfig['access']['hostKeyPolicy'],
      knownHostsFile: vars.KNOWN_HOSTS_FILE ?? null,
      allowPasswordAuth: vars.ALLOW_PASSWORD_AUTH,
      secretKey,
      previousSecretKey,
    },
    api: { rateLimitPerMinute: vars.API_RATE_LIMIT, bodyLimitBytes: vars.API_BODY_LIMIT_BYTES },
  };
}

function secretKeyFrom(name: string, text: string | undefined): SecretKey | null {
  if (text === undefined) return null;
  const parsed = parseSecretKey(text);
  if (typeof parsed === 'string') throw new ConfigError(`invalid configuration: ${name}: ${parsed}`);
  return parsed;
}
