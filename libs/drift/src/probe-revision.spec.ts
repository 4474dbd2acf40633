import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBE_REVISION } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { diffSnapshots } from './diff';

const load = (name: string): SnapshotContent =>
  JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/snapshots', name), 'utf8')) as SnapshotContent;

describe('diff across probe revisions', () => {
  const r1 = load('debian-12-local.probe-r1.json');
  const r2 = load('debian-12-local.probe-r2.json');
  const r3 = load('debian-12-local.probe-r3.json');

  it('what only the newer probe observes is quiet unknown, never added drift (real captures of one unchanged host)', () => {
    const changes = diffSnapshots(r1, r2);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.kind !== 'unknown' || c.severity !== 'info')).toEqual([]);
    expect(changes.map((c) => c.path)).toEqual(expect.arrayContaining(['apache.errorlog', 'apache.mutex.listed', 'modwsgi.linkage.needed']));
    expect(changes.find((c) => c.path === 'modwsgi.linkage.needed')!.summary).toBe('modwsgi.linkage.needed: not observed before probe revision 2');
  });

  it('going back to the older probe does not read as removed either', () => {
    expect(diffSnapshots(r2, r1).filter((c) => c.kind !== 'unknown' || c.severity !== 'info')).toEqual([]);
  });

  it('a real change across the revisions is still drift', () => {
    const upgraded = structuredClone(r2);
    upgraded.checks['apache.build']!.facts = { ...(upgraded.checks['apache.build']!.facts as object), mpm: 'prefork' };
    expect(diffSnapshots(r1, upgraded)).toContainEqual(expect.objectContaining({ path: 'apache.build.mpm', kind: 'changed', before: 'event', after: 'prefork' }));
  });

  it('within one revision, a newly observed fact that appears is added as always', () => {
    const without = structuredClone(r2);
    delete (without.checks['modwsgi.linkage']!.facts as Record<string, unknown>).needed;
    expect(diffSnapshots(without, r2)).toEqual([expect.objectContaining({ path: 'modwsgi.linkage.needed', kind: 'added' })]);
  });

  it('revision 3 (the Python in use: python.home, python.processes, new python.config/runtime facts) is quiet unknown too', () => {
    const changes = diffSnapshots(r2, r3);
    expect(changes.filter((c) => c.kind !== 'unknown' || c.severity !== 'info')).toEqual([]);
    expect(changes.map((c) => c.path)).toEqual(expect.arrayContaining(['python.home', 'python.config.processGroups']));
    expect(diffSnapshots(r3, r2).filter((c) => c.kind !== 'unknown' || c.severity !== 'info')).toEqual([]);
  });

  it('revision 4 (apache.instances: every other running server and mod_wsgi-express) is quiet unknown too', () => {
    // Another machine (the CI VM), minutes apart, by the base commit's probe and by revision 4.
    const ci3 = load('debian-12-ci.probe-r3.json');
    const ci4 = load('debian-12-ci.probe-r4.json');
    expect(ci3.probeRevision).toBe(3);
    const changes = diffSnapshots(ci3, ci4);
    expect(changes).toEqual([expect.objectContaining({ path: 'apache.instances', kind: 'unknown', severity: 'info' })]);
    expect(diffSnapshots(ci4, ci3).filter((c) => c.kind !== 'unknown' || c.severity !== 'info')).toEqual([]);
    // An instance's finding first seen by revision 4 is not "added" either.
    const broken = structuredClone(ci4);
    broken.findings = [...broken.findings, { id: 'instance-libpython-not-found', severity: 'critical', checkId: 'apache.instances', message: 'x' }];
    expect(diffSnapshots(ci3, broken).filter((c) => c.kind !== 'unknown' || c.severity !== 'info')).toEqual([]);
  });

  it('the current probe is the revision the newest capture was taken by', () => {
    expect(load('debian-12-ci.probe-r4.json').probeRevision).toBe(PROBE_REVISION);
  });
});
