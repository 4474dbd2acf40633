import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('sqlite:data/driftwatch.sqlite');
    expect(config.scan).toEqual({ concurrency: 64, connectTimeoutMs: 10000, commandTimeoutMs: 60000, maxOutputBytes: 8388608 });
    expect(config.drift.ignore).toEqual([]);
    expect(config.webhooks).toEqual({ maxAttempts: 5, retryBaseMs: 2000, timeoutMs: 10000 });
  });

  it('converts numbers and lists', () => {
    const config = loadConfig({ PORT: '8080', SCAN_CONCURRENCY: '8', DRIFT_IGNORE: 'a.b, c.*' });
    expect(config.port).toBe(8080);
    expect(config.scan.concurrency).toBe(8);
    expect(config.drift.ignore).toEqual(['a.b', 'c.*']);
  });

  it('names each invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x' })).toThrow(/PORT.*DATABASE_URL/);
  });
});
