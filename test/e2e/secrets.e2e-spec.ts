import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { INestApplication, LoggerService } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@driftwatch/config';
import { ClientKey, LabHost, debian12EventProfile, generateClientKey } from '@driftwatch/lab';
import { createCollectorApp } from '../../apps/collector/src/bootstrap';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000); // encrypted keys take ~1 s each to open (bcrypt KDF)

/** Every line the collector logs, whatever the level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (level: string) => (message: unknown, ...rest: unknown[]) => {
    this.lines.push(`${level} ${[message, ...rest].map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}`);
  };
  log = this.keep('log');
  error = this.keep('error');
  warn = this.keep('warn');
  debug = this.keep('debug');
  verbose = this.keep('verbose');
  fatal = this.keep('fatal');
}

/**
 * Secrets go in once and never come out: every response body, every log line, and the stored
 * database file are searched for each planted secret (and its base64) after hosts CRUD and
 * scans that succeed and fail.
 */
describe('secrets never leave the collector', () => {
  const unique = (what: string) => `${what}-${randomBytes(9).toString('hex')}`;
  const PASSWORD = unique('pw');
  const WRONG_PASSWORD = unique('wrongpw');
  const PASSPHRASE = unique('pp');
  const WRONG_PASSPHRASE = unique('wrongpp');
  const SECRET_KEY = randomBytes(32).toString('base64');

  let db: TestDatabase;
  let app: INestApplication;
  let key: ClientKey;
  let lab: LabHost;
  const logger = new CapturingLogger();
  const bodies: string[] = [];
  const printed: string[] = [];
  const originalWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  const call = async (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = request(app.getHttpServer())[method](path);
    const res = body ? await req.send(body) : await req;
    bodies.push(`${method.toUpperCase()} ${path} ${res.status} ${res.text}`);
    return res;
  };

  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (printed.push(String(chunk)), originalWrite.out(chunk, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (printed.push(String(chunk)), originalWrite.err(chunk, ...rest))) as typeof process.stderr.write;
    key = generateClientKey({ passphrase: PASSPHRASE });
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey, password: PASSWORD });
    db = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: db.url,
      SSH_CONNECT_TIMEOUT_MS: '3000',
      SSH_COMMAND_TIMEOUT_MS: '20000',
      DRIFTWATCH_SECRET_KEY: SECRET_KEY,
      ALLOW_PASSWORD_AUTH: 'true',
    });
    app = await createCollectorApp(config, { logger });
    await app.init();
  });

  afterAll(async () => {
    process.stdout.write = originalWrite.out;
    process.stderr.write = originalWrite.err;
    await app?.close();
    await lab?.stop();
    key?.dispose();
    await db?.cleanup();
  });

  const host = (name: string, auth: object) => ({ name, address: lab.address, port: lab.port, username: 'ops', auth });

  it('stores hosts with secrets, scans them (ok and failing), and shows only has-flags', async () => {
    const pw = await call('post', '/api/v1/hosts', host('by-password', { type: 'password', password: PASSWORD }));
    expect(pw.status).toBe(201);
    expect(pw.body.auth).toEqual({ type: 'password', hasPassword: true });

    const inline = await call('post', '/api/v1/hosts', host('by-inline-key', { type: 'key', privateKey: key.privateKeyPem, passphrase: PASSPHRASE }));
    expect(inline.body.auth).toEqual({ type: 'key', hasPrivateKey: true, hasPassphrase: true });
    const file = await call('post', '/api/v1/hosts', host('by-key-file', { type: 'key', privateKeyPath: key.path, passphrase: PASSPHRASE }));
    expect(file.body.auth).toEqual({ type: 'key', privateKeyPath: key.path, hasPrivateKey: false, hasPassphrase: true });
    await call('post', '/api/v1/hosts', host('wrong-password', { type: 'password', password: WRONG_PASSWORD })).then((r) => expect(r.status).toBe(201));
    await call('post', '/api/v1/hosts', host('wrong-passphrase', { type: 'key', privateKeyPath: key.path, passphrase: WRONG_PASSPHRASE }));

    for (const name of ['by-password', 'by-inline-key', 'by-key-file']) {
      const scanned = await call('post', `/api/v1/hosts/${name}/scan`);
      expect([name, scanned.body.status]).toEqual([name, 'ok']);
    }
    const badPw = await call('post', '/api/v1/hosts/wrong-password/scan');
    expect(badPw.body).toMatchObject({ status: 'auth-failed' });
    const badPp = await call('post', '/api/v1/hosts/wrong-passphrase/scan');
    expect(badPp.body).toMatchObject({ status: 'auth-failed', error: `private key file ${key.path} could not be decrypted with the given passphrase` });

    await call('patch', '/api/v1/hosts/wrong-password', { auth: { type: 'password', password: PASSWORD } });
    expect((await call('post', '/api/v1/hosts/wrong-password/scan')).body.status).toBe('ok');

    const run = await call('post', '/api/v1/scans', {});
    expect(run.status).toBe(202);
    for (let i = 0; i < 200 && (await call('get', `/api/v1/scans/${run.body.id}`)).body.status === 'running'; i++) await new Promise((r) => setTimeout(r, 50));

    await call('get', '/api/v1/hosts');
    for (const name of ['by-password', 'by-inline-key', 'by-key-file', 'wrong-password', 'wrong-passphrase']) {
      await call('get', `/api/v1/hosts/${name}`);
      await call('get', `/api/v1/hosts/${name}/scans`);
      const latest = await call('get', `/api/v1/hosts/${name}/snapshots/latest`);
      if (latest.status === 200) await call('get', `/api/v1/snapshots/${latest.body.id}/raw`);
      await call('get', `/api/v1/hosts/${name}/report`);
    }
    await call('post', '/api/v1/hosts', host('no-good', { type: 'password' }));
    await call('delete', '/api/v1/hosts/wrong-passphrase');
    expect(logger.lines.some((l) => l.includes('auth-failed'))).toBe(true); // the capture sees the scan log
  });

  it('finds no secret in any response, log line, printed output or the database file', () => {
    const secrets = [PASSWORD, WRONG_PASSWORD, PASSPHRASE, WRONG_PASSPHRASE, SECRET_KEY, Buffer.from(SECRET_KEY, 'base64').toString('hex')];
    const keyBody = key.privateKeyPem.split('\n').filter((l) => l.length > 40);
    const needles = [...secrets, ...secrets.map((s) => Buffer.from(s).toString('base64')), ...keyBody];
    const stored = db.kind === 'sqlite' ? [readFileSync(db.url.slice('sqlite:'.length), 'latin1')] : [];
    expect(bodies.length).toBeGreaterThan(20);
    for (const [where, texts] of [['responses', bodies], ['logs', logger.lines], ['stdout/stderr', printed], ['database', stored]] as const) {
      for (const needle of needles) {
        const hit = texts.find((t) => t.includes(needle));
        expect({ where, leaked: hit ? needle.slice(0, 6) : null }).toEqual({ where, leaked: null });
      }
    }
  });
});
