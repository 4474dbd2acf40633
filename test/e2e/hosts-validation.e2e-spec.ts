import { CollectorHarness, startCollector } from '../support/collector-harness';

const valid = {
  name: 'web-1',
  address: '127.0.0.1',
  port: 2222,
  username: 'ops',
  auth: { type: 'key', privateKeyPath: '/etc/driftwatch/id_ed25519' },
  labels: ['web', 'eu'],
};

describe('hosts API', () => {
  let c: CollectorHarness;

  beforeAll(async () => {
    c = await startCollector();
  });
  afterAll(() => c.close());

  it('registers, lists, updates and removes a host without ever returning secrets', async () => {
    const created = await c.http().post('/api/v1/hosts').send(valid).expect(201);
    expect(created.body).toMatchObject({ name: 'web-1', port: 2222, hostKey: null, labels: ['web', 'eu'], auth: { type: 'key' } });
    expect(JSON.stringify(created.body)).not.toMatch(/PRIVATE KEY|"passphrase"|"password"/i);
    expect(created.body.auth).toEqual({ type: 'key', privateKeyPath: '/etc/driftwatch/id_ed25519', hasPrivateKey: false, hasPassphrase: false });

    const defaults = await c.http().post('/api/v1/hosts').send({ name: 'web-2', address: 'web2.example', username: 'ops', auth: { type: 'agent' } }).expect(201);
    expect(defaults.body).toMatchObject({ port: 22, labels: [], auth: { type: 'agent' }, overrides: {} });

    const list = await c.http().get('/api/v1/hosts').expect(200);
    expect(list.body.map((h: { name: string }) => h.name)).toEqual(['web-1', 'web-2']);

    const patched = await c.http().patch('/api/v1/hosts/web-1').send({ labels: ['web'], port: 22 }).expect(200);
    expect(patched.body).toMatchObject({ labels: ['web'], port: 22, address: '127.0.0.1' });

    await c.http().post('/api/v1/hosts').send(valid).expect(409);
    await c.http().delete('/api/v1/hosts/web-2').expect(204);
    await c.http().get('/api/v1/hosts/web-2').expect(404);
    await c.http().delete('/api/v1/hosts/web-2').expect(404);
  });

  const bad = { ...valid, name: 'bad-host' };

  it.each([
    ['name', { ...bad, name: undefined }, /name/],
    ['name', { ...bad, name: 'bad name;rm' }, /name/],
    ['address', { ...bad, address: '$(reboot)' }, /address/],
    ['port', { ...bad, port: 70000 }, /port/],
    ['port', { ...bad, port: 'ssh' }, /port/],
    ['username', { ...bad, username: '' }, /username/],
    ['auth', { ...bad, auth: undefined }, /auth/],
    ['auth.type', { ...bad, auth: { type: 'telnet' } }, /auth\.type/],
    ['auth.type', { ...bad, auth: { type: 'password', password: 'pw-not-allowed' } }, /auth\.type "password" is disabled.*ALLOW_PASSWORD_AUTH/],
    ['auth.password', { ...bad, auth: { type: 'password' } }, /auth\.password is required/],
    ['auth.passphrase', { ...bad, auth: { type: 'key', privateKeyPath: '/k', passphrase: 'pp-no-key' } }, /auth\.passphrase cannot be stored.*DRIFTWATCH_SECRET_KEY/],
    ['auth.privateKey', { ...bad, auth: { type: 'key', privateKey: 'not a key' } }, /auth\.privateKey/],
    ['hostKeyPolicy', { ...bad, hostKeyPolicy: 'yolo' }, /hostKeyPolicy/],
    ['hostKey (pinned)', { ...bad, hostKeyPolicy: 'pinned' }, /hostKey is required when hostKeyPolicy is "pinned"/],
    ['knownHostsFile', { ...bad, knownHostsFile: 'rel/known_hosts' }, /knownHostsFile/],
    ['jumpHost', { ...bad, jumpHost: 'nowhere' }, /jumpHost "nowhere" is not a registered host/],
    ['jumpHost', { ...bad, jumpHost: 'bad-host' }, /jumpHost "bad-host" is the host itself/],
    ['jumpHost', { ...bad, jumpHost: 'x;y' }, /jumpHost/],
    ['sudo', { ...bad, sudo: 'yes' }, /sudo/],
    ['auth.privateKeyPath', { ...bad, auth: { type: 'key' } }, /auth\.privateKeyPath/],
    ['auth.privateKeyPath', { ...bad, auth: { type: 'key', privateKeyPath: 'relative/key' } }, /auth\.privateKeyPath/],
    ['hostKey', { ...bad, hostKey: 'md5:aa:bb' }, /hostKey/],
    ['labels', { ...bad, labels: 'web' }, /labels/],
    ['labels', { ...bad, labels: ['ok', 'no spaces'] }, /labels/],
    ['overrides.apachectl', { ...bad, overrides: { apachectl: '/usr/sbin/apachectl; reboot' } }, /overrides\.apachectl/],
    ['overrides.diagnosticUrl', { ...bad, overrides: { diagnosticUrl: 'http://x/`id`' } }, /overrides\.diagnosticUrl/],
    ['unknown field', { ...bad, extra: 1 }, /extra/],
  ])('rejects a bad %s with 400 naming it, storing nothing', async (_field, body, pattern) => {
    const res = await c.http().post('/api/v1/hosts').send(body).expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.message).toMatch(pattern);
    await c.http().get('/api/v1/hosts/bad-host').expect(404);
  });

  it('rejects malformed JSON and bad parameters with 400', async () => {
    const res = await c.http().post('/api/v1/hosts').set('content-type', 'application/json').send('{"name": ').expect(400);
    expect(res.body.message).toMatch(/JSON/);
    expect((await c.http().get('/api/v1/snapshots/abc').expect(400)).body.message).toMatch(/id/);
    expect((await c.http().get('/api/v1/scans/0').expect(400)).body.message).toMatch(/id/);
    expect((await c.http().get('/api/v1/hosts/web-1/snapshots?limit=0').expect(400)).body.message).toMatch(/limit/);
    expect((await c.http().get('/api/v1/hosts/web-1/diff?from=x').expect(400)).body.message).toMatch(/from/);
    expect((await c.http().patch('/api/v1/hosts/web-1').send({ port: -1 }).expect(400)).body.message).toMatch(/port/);
    expect((await c.http().post('/api/v1/scans').send({ hosts: 'web-1' }).expect(400)).body.message).toMatch(/hosts/);
  });

  it('answers 404 for what does not exist', async () => {
    await c.http().get('/api/v1/hosts/nope').expect(404);
    await c.http().post('/api/v1/hosts/nope/scan').expect(404);
    await c.http().get('/api/v1/hosts/web-1/snapshots/latest').expect(404);
    await c.http().get('/api/v1/snapshots/999').expect(404);
    await c.http().get('/api/v1/scans/999').expect(404);
    await c.http().post('/api/v1/scans').send({ hosts: ['nope'] }).expect(404);
  });

  it('reports health once migrated', async () => {
    await c.http().get('/health').expect(200, { status: 'ok' });
  });
});
