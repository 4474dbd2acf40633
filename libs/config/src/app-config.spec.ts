import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('sqlite:data/driftwatch.sqlite');
    expect(config.scan).toEqual({ concurrency: 64, connectTimeoutMs: 10000, commandTimeoutMs: 60000, maxOutputBytes: 8388608 });
    expect(config.drift.ignore).toEqual([]);
    expect(config.webhooks).toEqual({ maxAttempts: 5, retryBaseMs: 2000, timeoutMs: 10000, allowPrivate: false });
  });

  it('allows private webhook addresses only when told', () => {
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivate).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: '0' }).webhooks.allowPrivate).toBe(false);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE must be true or false/);
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

  it('defaults host access to accept-new, no known_hosts file, no passwords, no secret key', () => {
    expect(loadConfig({}).access).toEqual({ hostKeyPolicy: 'accept-new', knownHostsFile: null, allowPasswordAuth: false, secretKey: null, previousSecretKey: null });
  });

  it('reads host access settings', () => {
    const access = loadConfig({ HOST_KEY_POLICY: 'known-hosts', KNOWN_HOSTS_FILE: '/etc/ssh/ssh_known_hosts', ALLOW_PASSWORD_AUTH: 'true' }).access;
    expect(access).toMatchObject({ hostKeyPolicy: 'known-hosts', knownHostsFile: '/etc/ssh/ssh_known_hosts', allowPasswordAuth: true });
    expect(() => loadConfig({ HOST_KEY_POLICY: 'trust-all' })).toThrow(/HOST_KEY_POLICY must be pinned, known-hosts or accept-new/);
    expect(() => loadConfig({ ALLOW_PASSWORD_AUTH: 'maybe' })).toThrow(/ALLOW_PASSWORD_AUTH/);
  });

  it('takes a 32-byte secret key as hex or base64 and refuses anything else without echoing it', () => {
    const bytes = Buffer.alloc(32, 7);
    const fromHex = loadConfig({ DRIFTWATCH_SECRET_KEY: bytes.toString('hex') }).access.secretKey;
    const fromBase64 = loadConfig({ DRIFTWATCH_SECRET_KEY: bytes.toString('base64') }).access.secretKey;
    expect(fromHex?.bytes.equals(bytes)).toBe(true);
    expect(fromBase64?.id).toBe(fromHex?.id);
    const short = Buffer.alloc(16, 9).toString('base64');
    expect(() => loadConfig({ DRIFTWATCH_SECRET_KEY: short })).toThrow(/DRIFTWATCH_SECRET_KEY: must be 32 bytes .*got 16 bytes/);
    expect(() => loadConfig({ DRIFTWATCH_SECRET_KEY: 'not a key!' })).toThrow(/DRIFTWATCH_SECRET_KEY: must be 32 bytes/);
    try {
      loadConfig({ DRIFTWATCH_SECRET_KEY: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});

describe('scan schedules, retries and roles', () => {
  it('defaults to an hourly schedule, two retries, role all, no queue', () => {
    const config = loadConfig({});
    expect(config.schedule).toEqual({ all: '0 * * * *', labels: [], splaySeconds: 0 });
    expect(config.retry).toEqual({ retries: 2, backoffMs: 1000, databaseWindowMs: 60_000 });
    expect(config.role).toBe('all');
    expect(config.queue).toBeNull();
  });

  it('reads the retention policy: 90 days of scans, every state, 30 days of deliveries, a nightly prune by default', () => {
    expect(loadConfig({})).toMatchObject({ retention: { scanDays: 90, stateDays: null, deliveryDays: 30, batchSize: 1000 }, pruneSchedule: '17 3 * * *' });
    const config = loadConfig({ SCAN_RETENTION_DAYS: '0', STATE_RETENTION_DAYS: '365', WEBHOOK_DELIVERY_RETENTION_DAYS: '7', PRUNE_SCHEDULE: 'off', PRUNE_BATCH_SIZE: '50' });
    expect(config).toMatchObject({ retention: { scanDays: null, stateDays: 365, deliveryDays: 7, batchSize: 50 }, pruneSchedule: null });
    expect(() => loadConfig({ PRUNE_BATCH_SIZE: '20000' })).toThrow(/PRUNE_BATCH_SIZE/);
    expect(() => loadConfig({ SCAN_RETENTION_DAYS: '-1' })).toThrow(/SCAN_RETENTION_DAYS/);
    expect(() => loadConfig({ PRUNE_SCHEDULE: 'nightly' })).toThrow(/PRUNE_SCHEDULE must be a cron expression or off/);
  });

  it('reads per-label schedules and off', () => {
    const config = loadConfig({ SCAN_SCHEDULE: 'off', SCAN_SCHEDULE_LABELS: 'web=*/15 * * * *; db=0 */6 * * *', SCAN_SPLAY_SECONDS: '300' });
    expect(config.schedule).toEqual({
      all: null,
      labels: [
        { label: 'web', cron: '*/15 * * * *' },
        { label: 'db', cron: '0 */6 * * *' },
      ],
      splaySeconds: 300,
    });
  });

  it.each([
    ['SCAN_SCHEDULE', 'hourly', /SCAN_SCHEDULE must be a cron expression or off: "hourly" is not a cron expression/],
    ['SCAN_SCHEDULE', '61 * * * *', /SCAN_SCHEDULE .*out of range/],
    ['SCAN_SCHEDULE_LABELS', 'web */15 * * * *', /SCAN_SCHEDULE_LABELS must be label=cron.*is not label=cron/],
    ['SCAN_SCHEDULE_LABELS', 'web=* * * *', /label web: "\* \* \* \*" is not a cron expression/],
    ['SCAN_SCHEDULE_LABELS', 'web=0 * * * *;web=5 * * * *', /label web has two schedules/],
    ['SCAN_SCHEDULE_LABELS', 'we b=0 * * * *', /"we b" is not a label/],
  ])('%s=%s is refused with a clear message', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('a worker needs REDIS_URL', () => {
    expect(() => loadConfig({ DRIFTWATCH_ROLE: 'worker' })).toThrow(/DRIFTWATCH_ROLE: a worker .* needs REDIS_URL/);
    const config = loadConfig({ DRIFTWATCH_ROLE: 'worker', REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'dw-1' });
    expect(config.queue).toEqual({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'dw-1', lockMs: 30000, stalledIntervalMs: 30000 });
  });
});
