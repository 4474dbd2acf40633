import { debian12EventProfile, withModule } from '@driftwatch/lab';
import { useLabHost } from '../support/lab-hosts';
import { cli, useCliDatabase } from '../support/run-cli';

describe('driftwatch CLI', () => {
  useCliDatabase();
  const { lab, key } = useLabHost();

  it('adds, lists and scans a host, then shows its history and drift', async () => {
    const added = await cli('hosts', 'add', 'web-1', '--address', '127.0.0.1', '--port', String(lab().port), '--user', 'ops', '--key', key().path, '--label', 'web', '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ name: 'web-1', port: lab().port, labels: ['web'] });

    const list = await cli('hosts', 'list');
    expect(list.out).toMatch(/web-1\s+ops@127\.0\.0\.1:\d+\s+key\s+\(first scan pins\)\s+web/);

    const first = await cli('scan', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).scans).toEqual([expect.objectContaining({ host: 'web-1', status: 'ok', changed: true })]);

    lab().setProfile(withModule(debian12EventProfile(), 'headers'));
    const second = await cli('scan', 'web-1');
    expect(second.out).toMatch(/web-1\s+ok\s+yes/);

    const history = await cli('history', 'web-1', '--json');
    expect(JSON.parse(history.out).total).toBe(2);

    const diff = await cli('diff', 'web-1');
    expect(diff.code).toBe(0);
    expect(diff.out).toContain('[modules] modules: + headers_module');

    const json = JSON.parse((await cli('diff', 'web-1', '--json')).out);
    expect(json.changes).toContainEqual(expect.objectContaining({ path: 'apache.modules.modules', kind: 'added' }));
  });

  it('explains bad input and unknown hosts with a non-zero exit', async () => {
    const bad = await cli('hosts', 'add', 'web-2', '--address', '127.0.0.1', '--port', '99999', '--user', 'ops', '--key', key().path);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/port/);

    const missing = await cli('history', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no host named "nope"/);

    expect((await cli('diff', 'web-1', '--from', 'abc')).err).toMatch(/--from must be a snapshot id/);
  });

  it.each([
    ['httpd-V', 'httpd-V/debian12-2.4.71-event-apache2ctl-V-live.txt', { mpm: 'event', version: '2.4.71' }],
    ['httpd-M', 'httpd-M/debian12-2.4.71-event-wsgi-ah00558-live.txt', { wsgiLoaded: true }],
    ['httpd-l', 'httpd-l/debian12-2.4.71-live.txt', {}],
    ['config-nice', 'config-nice/macos-system-2.2.14-modwsgidocs.txt', {}],
    ['apr-h', 'apr-h/debian12-apr1.7.2-live.txt', { defaultMechanism: 'proc_pthread' }],
    ['run-cfg', 'run-cfg/debian12-2.4.71-DUMP_RUN_CFG-ah00558-live.txt', {}],
    ['ldd', 'ldd/debian12-py3.11-libapache2-mod-wsgi-py3-4.9.4-live.txt', {}],
    ['otool', 'otool/macos-system-py2.6-modwsgidocs.txt', {}],
    ['wsgi-diag', 'wsgi-diag/debian12-py3.11-modwsgi4.9.4-event-daemon-live.txt', { mode: 'daemon' }],
    ['error-log', 'error-log/debian12-2.4.68-modwsgi4.9.4-broken-live.txt', { occurrences: { 'daemon-not-configured': { count: 5, lastAt: '2026-12-07T11:41:42.463870' } } }],
  ])('parse %s prints {kind, status, facts} as the fixture expects, with no host or database', async (kind, file, facts) => {
    const path = `${__dirname}/../fixtures/raw/${file}`;
    const expected = JSON.parse(require('node:fs').readFileSync(path.replace(/\.txt$/, '.expected.json'), 'utf8'));
    const result = await cli('parse', kind, path);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out);
    expect(printed).toMatchObject({ kind, status: 'ok', facts });
    expect(printed).toMatchObject({ status: expected.status, facts: expected.facts });
  });

  it('parse rejects an unknown kind and reports unparseable input as failed', async () => {
    expect((await cli('parse', 'nginx-V', '-')).err).toMatch(/unknown kind "nginx-V"; kinds: httpd-V/);
    const empty = `${__dirname}/../fixtures/README.md`;
    const result = await cli('parse', 'httpd-M', empty);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ kind: 'httpd-M', status: 'failed', reason: expect.any(String) });
  });

  it('removes a host', async () => {
    expect((await cli('hosts', 'remove', 'web-1')).out).toContain('removed web-1');
    expect((await cli('hosts', 'list', '--json')).out.trim()).toBe('[]');
  });
});
