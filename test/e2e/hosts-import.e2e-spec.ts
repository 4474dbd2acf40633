import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, LabHost, debian12EventProfile, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { cli } from '../support/run-cli';

jest.setTimeout(60_000);

describe('importing hosts from inventories', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;
  let scratch: string;

  beforeAll(async () => {
    c = await startCollector();
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    scratch = mkdtempSync(join(tmpdir(), 'driftwatch-import-e2e-'));
  });
  afterAll(async () => {
    await lab?.stop();
    key?.dispose();
    await c?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const importIt = (body: object) => c.http().post('/api/v1/hosts/import').send(body);

  it('imports an ssh config (ProxyJump → jumpHost, jump host first), idempotently, and scans what it registered', async () => {
    const config = [
      'Host web-via-bastion',
      '  HostName 127.0.0.1',
      `  Port ${lab.port}`,
      '  ProxyJump bastion',
      'Host bastion lab1',
      '  HostName 127.0.0.1',
      `  Port ${lab.port}`,
      'Host *',
      '  User ops',
      `  IdentityFile ${key.path}`,
    ].join('\n');
    const first = await importIt({ format: 'ssh-config', content: config }).expect(200);
    expect(first.body).toEqual({ created: ['bastion', 'web-via-bastion', 'lab1'], updated: [], unchanged: [], skipped: [], warnings: [] });
    const again = await importIt({ format: 'ssh-config', content: config }).expect(200);
    expect(again.body).toMatchObject({ created: [], updated: [], unchanged: ['bastion', 'web-via-bastion', 'lab1'] });

    const host = (await c.http().get('/api/v1/hosts/web-via-bastion').expect(200)).body;
    expect(host).toMatchObject({ address: '127.0.0.1', port: lab.port, username: 'ops', jumpHost: 'bastion', auth: { type: 'key', privateKeyPath: key.path } });
    expect((await c.http().post('/api/v1/hosts/lab1/scan').expect(200)).body.status).toBe('ok');

    const moved = await importIt({ format: 'ssh-config', content: config.replace('User ops', 'User other') }).expect(200);
    expect(moved.body.updated).toEqual(['bastion', 'web-via-bastion', 'lab1']);
  });

  it('imports an Ansible inventory with groups as labels, skipping hosts it cannot register', async () => {
    const inventory = ['[web]', 'ans-web[1:2] ansible_host=10.0.0.1', 'bad;name ansible_host=10.0.0.2', '[web:vars]', 'ansible_user=deploy', '[db]', 'ans-db ansible_host=10.0.0.3'].join('\n');
    const res = await importIt({ format: 'ansible', content: inventory }).expect(200);
    expect(res.body.created).toEqual(['ans-web1', 'ans-web2']);
    expect(res.body.skipped).toEqual([
      { name: 'bad;name', reason: expect.stringMatching(/^name must be/) },
      { name: 'ans-db', reason: expect.stringMatching(/^username: the inventory gives no user/) },
    ]);
    expect((await c.http().get('/api/v1/hosts/ans-web1').expect(200)).body).toMatchObject({ labels: ['web'], username: 'deploy', auth: { type: 'agent' } });

    const withDefault = await importIt({ format: 'ansible', content: inventory, defaultUser: 'ops' }).expect(200);
    expect(withDefault.body).toMatchObject({ created: ['ans-db'], unchanged: ['ans-web1', 'ans-web2'] });
    expect((await importIt({ format: 'yaml', content: '' }).expect(400)).body.message).toMatch(/format/);
  });

  it('imports from the CLI', async () => {
    const file = join(scratch, 'inventory.yml');
    writeFileSync(file, 'all:\n  children:\n    cli:\n      hosts:\n        cli-host:\n          ansible_host: 127.0.0.1\n          ansible_user: ops\n');
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = c.db.url;
    try {
      const first = await cli('hosts', 'import', 'ansible', file, '--json');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.out)).toMatchObject({ created: ['cli-host'] });
      expect((await cli('hosts', 'import', 'ansible', file)).out).toContain('created 0, updated 0, unchanged 1, skipped 0');
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });
});
