import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { currentScanContext } from './scan-context';
import { maskSecrets } from './mask-secrets';

export interface AppLoggerOptions {
  /** `auto`: text when stdout is a terminal, JSON lines otherwise. */
  format: 'json' | 'text' | 'auto';
  /** The least severe level written. */
  level: 'debug' | 'log' | 'warn' | 'error';
  /** Decides `auto`; default process.stdout.isTTY. */
  isTTY?: boolean;
  /** Every line to stderr (a CLI keeps stdout for its results); default Nest's choice per level. */
  stderrOnly?: boolean;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug'];

/** Names of values masked wherever they appear in structured log data. */
const SECRET_KEYS = ['password', 'passphrase', 'privateKey', 'secret', 'token', 'authorization', 'apiKey'];

/**
 * Nest's console logger, as JSON lines or human text, that adds `runId` and `host` to every
 * line written during scan work and masks secrets.
 */
export class AppLogger extends ConsoleLogger {
  private readonly stderrOnly: boolean;

  constructor(options: AppLoggerOptions) {
    const json = options.format === 'json' || (options.format === 'auto' && !(options.isTTY ?? process.stdout.isTTY));
    super({
      json,
      flattenParams: true,
      redact: SECRET_KEYS,
      logLevels: LEVELS.slice(0, LEVELS.indexOf(options.level) + 1),
      ...(json ? {} : { colors: options.isTTY ?? process.stdout.isTTY }),
    });
    this.stderrOnly = options.stderrOnly ?? false;
  }

  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel, writeStreamType?: 'stdout' | 'stderr', errorStack?: unknown, params?: Record<string, unknown>): void {
    const scan = currentScanContext();
    const masked = messages.map((m) => (typeof m === 'string' ? maskSecrets(m) : m));
    const withScan = scan ? { runId: scan.runId, host: scan.host, ...params } : params;
    super.printMessages(masked, context, logLevel, this.stderrOnly ? 'stderr' : writeStreamType, typeof errorStack === 'string' ? maskSecrets(errorStack) : errorStack, withScan);
  }
}
