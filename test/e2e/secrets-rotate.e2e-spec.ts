import { randomBytes } from 'node:crypto';
import { parseSecretKey, SecretKey } from '@driftwatch/config';
import { ClientKey, LabHost, debian12EventProfile, generateClientKey } from '@driftwatch/lab';
import { openDataSource, WebhooksRepository } from '@driftwatch/persistence';
import { SecretBox } from '@driftwatch/scans';
import { cli } from '../support/run-cli';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

/** The JSON document in a command's output (log lines of failed scans may come before it). */
const json = (out: string) => JSON.parse(out.slice(out.search(/^[{[]/m)));

/** What the webhooks table holds, read while no collector runs. */
async function withWebhooks<T>(url: string, use: (webhooks: WebhooksRepository) => Promise<T>): Promise<T> {
  const dataSource = await openDataSource(url);
  try {
    return await use(new WebhooksRepository(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

/**
 * `hosts add` with a password from the environment, and webhooks stored before (a plain
 * secret from before sealing, one sealed with the old key), then a key rotation with `secrets rotate`.
 */
describe('driftwatch secrets rotate', () => {
  const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
  const OLD_KEY = randomBytes(32).toString('base64');
  const NEW_KEY = randomBytes(32).toString('hex');
  const names = ['DATABASE_URL', 'DRIFTWATCH_SECRET_KEY', 'DRIFTWATCH_SECRET_KEY_PREVIOUS', 'ALLOW_PASSWORD_AUTH', 'DW_TEST_PASSWORD'] as const;
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  let db: TestDatabase;
  let key: ClientKey;
  let lab: LabHost;

  const setEnv = (env: Partial<Record<(typeof names)[number], string>>) => {
    for (const n of names.slice(1)) delete process.env[n];
    Object.assign(process.env, env);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey, password: PASSWORD });
  });
  afterAll(async () => {
    for (const n of names) (saved[n] === undefined ? delete process.env[n] : (process.env[n] = saved[n]));
    await lab?.stop();
    key?.dispose();
    await db?.cleanup();
  });

  it('reseals secrets with the new key so that scans work without the old one', async () => {
    setEnv({ DRIFTWATCH_SECRET_KEY: OLD_KEY, ALLOW_PASSWORD_AUTH: 'true', DW_TEST_PASSWORD: PASSWORD });
    const added = await cli('hosts', 'add', 'pw', '--address', lab.address, '--port', String(lab.port), '--user', 'ops', '--password-env', 'DW_TEST_PASSWORD', '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out).auth).toEqual({ type: 'password', hasPassword: true });
    expect(added.out).not.toContain(PASSWORD);

    setEnv({ DRIFTWATCH_SECRET_KEY: NEW_KEY, ALLOW_PASSWORD_AUTH: 'true' });
    const locked = await cli('scan', 'pw', '--json');
    expect(json(locked.out).scans[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('which is not configured') });

    const [oldKey, newKey] = [OLD_KEY, NEW_KEY].map((k) => parseSecretKey(k) as SecretKey);
    const plainSecret = 'a'.repeat(64);
    const sealedSecret = 'b'.repeat(64);
    const [plain, sealed] = await withWebhooks(db.url, (webhooks) =>
      Promise.all([
        webhooks.create({ url: 'https://hooks.example.test/plain', events: ['drift'], minSeverity: 'info', secret: plainSecret }),
        webhooks.create({ url: 'https://hooks.example.test/sealed', events: ['drift'], minSeverity: 'info', secret: new SecretBox(oldKey).seal(sealedSecret, 'webhook-secret') }),
      ]),
    );

    setEnv({ DRIFTWATCH_SECRET_KEY: NEW_KEY, DRIFTWATCH_SECRET_KEY_PREVIOUS: OLD_KEY });
    const rotated = await cli('secrets', 'rotate', '--json');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.out)).toEqual({ hosts: 1, webhooks: 2, secrets: 3 });
    expect(JSON.parse((await cli('secrets', 'rotate', '--json')).out)).toEqual({ hosts: 0, webhooks: 0, secrets: 0 });
    expect((await cli('secrets', 'rotate')).out).toBe('resealed 0 secret(s) of 0 host(s) and 0 webhook(s) with the current key\n');

    // Both webhook secrets now open with the new key alone, to what they were.
    const after = await withWebhooks(db.url, (webhooks) => Promise.all([plain, sealed].map(async (w) => (await webhooks.findById(w.id))!.secret)));
    expect(after.every((s) => s.startsWith(`v1:${newKey.id}:`))).toBe(true);
    expect(after.map((s) => new SecretBox(newKey).open(s, 'webhook-secret'))).toEqual([plainSecret, sealedSecret]);

    setEnv({ DRIFTWATCH_SECRET_KEY: NEW_KEY, ALLOW_PASSWORD_AUTH: 'true' });
    const scanned = await cli('scan', 'pw', '--json');
    expect(json(scanned.out).scans[0]).toMatchObject({ host: 'pw', status: 'ok' });
  });
});
