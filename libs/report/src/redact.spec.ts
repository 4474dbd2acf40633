import { fencedBlocks, loadSections, reportOf } from '../../../test/support/report-fixtures';
import { REDACTION_NOTE, renderMarkdown } from './markdown';
import { Redactor, redactReport } from './redact';

describe(redactReport.name, () => {
  const report = reportOf(loadSections('identities.sections.json'), 'web1');
  const redacted = redactReport(report, { hosts: ['web1.corp.example.com', '10.20.30.40'], users: [{ name: 'alice', home: '/home/alice' }] });
  const markdown = renderMarkdown(redacted);

  it('leaves no host name, domain, address, user or home directory in any form', () => {
    expect(renderMarkdown(report)).toMatch(/web1/); // the fixture really holds them
    for (const value of [/web1/i, /corp\.example\.com/i, /shop\.example\.net/i, /10\.20\.30\.40/, /192\.168\.1\.77/, /2001:db8/i, /fe80:/i, /alice/i]) {
      expect(markdown).not.toMatch(value);
      expect(JSON.stringify(redacted)).not.toMatch(value);
    }
  });

  it('gives the same value the same placeholder wherever and however it is written', () => {
    expect(redacted.source.host).toBe('host-1');
    // FQDN in the diagnostic URL and the application group, upper case in a vhost line, and after user@
    expect(markdown).toContain('--url http://host-1:8080/__diag');
    expect(markdown).toContain("mod_wsgi.application_group = 'host-1:8080|/__diag'");
    expect(markdown).toContain('default server host-1 (');
    expect(markdown).toContain('ssh session of user-1@host-1 from <ip-');
    expect(markdown).toMatch(/alias host-\d+\n/);
    // the IPv6 address written two ways is one placeholder; the IPv4 of the known address is one too
    const stderr = redacted.checks.find((c) => c.id === 'python.runtime')!.stderr;
    const [, v4, v6a, v6b] = /connected to (\S+) port 8080 via (\S+) \(fallback (\S+)\)/.exec(stderr)!;
    expect(v6a).toBe(v6b);
    expect(v4).toMatch(/^<ip-\d+>$/);
    expect(markdown).toContain(`${v4}:443`);
    // the home directory in the summary and in the raw output alike
    const python = redacted.summary.rows.find((r) => r.label === 'Python')!;
    expect(python.value).toBe('3.11.2, sys.prefix /home/user-1/venvs/shop');
    expect(markdown).toContain("sys.path = ['/home/user-1/venvs/shop/lib/python3.11/site-packages', '/srv/apps/user-1-shop'");
    expect(markdown).toContain('deploy by user-1_ci at 2026-11-21T14:22:05');
  });

  it('keeps what identifies nobody: versions, times, system accounts, public sites, loopback', () => {
    expect(markdown).toContain('| Apache | 2.4.71, event MPM |');
    expect(markdown).toContain('User: name="www-data" id=33');
    expect(markdown).toContain('HOME_URL="https://www.debian.org/"');
    expect(markdown).toContain('3.11.2 (main, Apr 28 2025, 14:11:48)');
    expect(redacted.checks.map((c) => c.id)).toEqual(report.checks.map((c) => c.id));
    expect(redacted.source.hash).toBe(report.source.hash);
  });

  it('says it was redacted, and keeps every check’s output otherwise byte for byte', () => {
    expect(redacted.redacted).toBe(true);
    expect(markdown).toContain(REDACTION_NOTE);
    const build = report.checks.find((c) => c.id === 'apache.build')!;
    expect(fencedBlocks(markdown).map((b) => b.text)).toContain(build.stdout.endsWith('\n') ? build.stdout : `${build.stdout}\n`);
  });
});

describe(Redactor.name, () => {
  it('replaces a known home directory that does not contain the user name', () => {
    const r = new Redactor({ users: [{ name: 'deploy', home: '/var/lib/deployer' }] });
    expect(r.redact('WSGIPythonHome /var/lib/deployer/venv; owner deploy; /var/lib/deployers stays')).toBe(
      'WSGIPythonHome /home/user-1/venv; owner user-1; /var/lib/deployers stays',
    );
  });

  it('learns users from home paths and host names from vhost lines before replacing', () => {
    const r = new Redactor();
    const text = 'ServerName shop.example.org\n/home/bob/app.wsgi\nbob owns shop.example.org';
    r.learn(text);
    expect(r.redact(text)).toBe('ServerName host-1\n/home/user-1/app.wsgi\nuser-1 owns host-1');
  });

  it('replaces the machine’s domain in other names of it, and its short name inside FQDNs', () => {
    const r = new Redactor({ hosts: ['web1.corp.example.com'] });
    expect(r.redact('db2.corp.example.com web1 web1.corp.example.com web1.conf')).toBe('db2.domain-1 host-1 host-1 host-1.conf');
  });

  it('does not search for names too short to tell from words, but still replaces the field', () => {
    const r = new Redactor({ hosts: ['a'] });
    expect(r.hostPlaceholder('a')).toBe('host-1');
    expect(r.redact('this is a NameVirtualHost')).toBe('this is a NameVirtualHost');
  });

  it('replaces IPv4 and IPv6 but not versions, times or MAC addresses', () => {
    const r = new Redactor();
    expect(r.redact('2.4.71 10.0.0.1 12:34:56 aa:bb:cc:dd:ee:ff ::ffff:10.0.0.1 [2001:db8::1]:80 127.0.0.1 ::1 1.2.3.4.5')).toBe(
      '2.4.71 <ip-1> 12:34:56 aa:bb:cc:dd:ee:ff <ip-2> [<ip-3>]:80 127.0.0.1 ::1 1.2.3.4.5',
    );
  });

  it('never rewrites a placeholder it wrote, even for a user named like one', () => {
    const r = new Redactor({ users: [{ name: 'host' }], hosts: ['user-box'] });
    expect(r.redact('host on user-box')).toBe('user-1 on host-1');
  });
});
