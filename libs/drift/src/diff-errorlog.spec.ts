import { RawSection, apacheErrorLogCheck, evaluate } from '@driftwatch/checks';
import { snapshotFromEvaluation } from '@driftwatch/snapshots';
import { diffSnapshots } from './diff';

const line = (t: string, msg: string) => `[Mon Dec 07 ${t}.100000 2026] [wsgi:error] [pid 7:tid 8] [client 127.0.0.1:4000] ${msg}`;
const notConfigured = "No WSGI daemon process called 'nosuchgroup' has been configured: /srv/app.wsgi";
const segfault = '[Mon Dec 07 06:10:00.000001 2026] [core:notice] [pid 5:tid 5] AH00052: child pid 99 exit signal Segmentation fault (11)';

function scan(log: string[]) {
  const section: RawSection = {
    id: 'apache.errorlog',
    exitCode: 0,
    stdout: ['--- dw:N:begin tail', ...log, '', '--- dw:N:end tail rc=0'].join('\n'),
    stderr: '',
    durationMs: 1,
    truncated: false,
    meta: { source: 'file', path: '/var/log/apache2/error.log', limit: '262144', size: String(log.join('\n').length) },
  };
  return snapshotFromEvaluation(evaluate([section], [apacheErrorLogCheck]));
}

describe('error log events are not state', () => {
  const first = scan([line('06:00:00', notConfigured)]);
  const again = scan([line('06:00:00', notConfigured), line('06:05:00', notConfigured), line('06:06:00', notConfigured)]);

  it('the same error repeated later keeps the hash, while the snapshot shows the new count and time', () => {
    expect(again.hash).toBe(first.hash);
    expect(again.canonical).not.toBe(first.canonical);
    const occurrences = (again.content.checks['apache.errorlog'].facts as { occurrences: Record<string, { count: number; lastAt: string }> }).occurrences;
    expect(occurrences['daemon-not-configured']).toMatchObject({ count: 3, lastAt: '2026-12-07T06:06:00.100000' });
    expect(diffSnapshots(first.content, again.content)).toEqual([]);
  });

  it('a new kind of error is drift on its finding, as loud as the finding', () => {
    const worse = scan([line('06:00:00', notConfigured), segfault]);
    expect(worse.hash).not.toBe(first.hash);
    const changes = diffSnapshots(first.content, worse.content);
    expect(changes.map((c) => [c.path, c.kind, c.severity])).toEqual([['findings.errorlog-daemon-segfault', 'added', 'critical']]);
  });

  it('a known error with a new particular (another daemon group) is no drift: the finding ids are the same', () => {
    const other = scan([line('06:00:00', notConfigured), line('06:07:00', notConfigured.replace('nosuchgroup', 'othergroup'))]);
    expect(diffSnapshots(first.content, other.content)).toEqual([]);
  });

  it('the finding tells the fix and never carries a time or a count', () => {
    const finding = first.content.findings.find((f) => f.id === 'errorlog-daemon-not-configured')!;
    expect(finding).toMatchObject({ severity: 'critical', checkId: 'apache.errorlog' });
    expect(finding.message).toContain('WSGIDaemonProcess');
    expect(finding.message).toContain('nosuchgroup');
    expect(finding.message).not.toMatch(/06:0|2026/);
  });
});
