import type { CheckResult, Finding } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { diffSnapshots } from './diff';

const snapshot = (checks: Record<string, CheckResult>, findings: Finding[]): SnapshotContent => ({ schemaVersion: 1, checks, findings });
const modules = (wsgiLoaded: boolean): CheckResult => ({ status: 'ok', facts: { wsgiLoaded } });
const runtime = (mode: string): CheckResult => ({ status: 'ok', facts: { mode } });
const notServed: CheckResult = { status: 'failed', reason: 'HTTP 404', facts: null };
const embedded: Finding = { id: 'embedded-mode', severity: 'info', checkId: 'python.runtime', message: 'embedded' };
const notLoaded: Finding = { id: 'wsgi-not-loaded', severity: 'critical', checkId: 'apache.modules', message: 'not loaded' };

describe('diffSnapshots: findings of a check that became unknown', () => {
  it('does not report them cleared: the check is unknown, not the finding gone (mod_wsgi disabled)', () => {
    const before = snapshot({ 'apache.modules': modules(true), 'python.runtime': runtime('embedded') }, [embedded]);
    const after = snapshot({ 'apache.modules': modules(false), 'python.runtime': notServed }, [notLoaded]);
    expect(diffSnapshots(before, after).map((c) => [c.path, c.kind])).toEqual([
      ['apache.modules.wsgiLoaded', 'changed'],
      ['python.runtime', 'unknown'],
      ['findings.wsgi-not-loaded', 'added'],
    ]);
  });

  it('does not report them new when the check was unknown before (mod_wsgi enabled again)', () => {
    const before = snapshot({ 'apache.modules': modules(false), 'python.runtime': notServed }, [notLoaded]);
    const after = snapshot({ 'apache.modules': modules(true), 'python.runtime': runtime('embedded') }, [embedded]);
    expect(diffSnapshots(before, after).map((c) => [c.path, c.kind])).toEqual([
      ['apache.modules.wsgiLoaded', 'changed'],
      ['python.runtime', 'unknown'],
      ['findings.wsgi-not-loaded', 'removed'],
    ]);
  });

  it('still reports them when their check is ok on both sides', () => {
    const before = snapshot({ 'python.runtime': runtime('daemon') }, []);
    const after = snapshot({ 'python.runtime': runtime('embedded') }, [embedded]);
    expect(diffSnapshots(before, after).map((c) => [c.path, c.kind])).toEqual([
      ['python.runtime.mode', 'changed'],
      ['findings.embedded-mode', 'added'],
    ]);
  });
});
