import type { CheckResult, Finding } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { fleetSummary } from './fleet-summary';

const ok = (facts: unknown): CheckResult => ({ status: 'ok', facts });
const snapshot = (checks: Record<string, CheckResult>, findings: Finding[] = []): SnapshotContent => ({ schemaVersion: 1, checks, findings });
const embedded: Finding = { id: 'embedded-mode', severity: 'warning', checkId: 'python.runtime', message: 'embedded' };
const runtime = (version: string, mode: string, modWsgiVersion = '5.0.0') => ok({ mode, modWsgiVersion, python: { version } });

describe(fleetSummary.name, () => {
  it('counts hosts per Apache version, MPM, Python, mod_wsgi and mode, most common first', () => {
    const summary = fleetSummary([
      { content: snapshot({ 'apache.build': ok({ version: '2.4.62', mpm: 'event' }), 'python.runtime': runtime('3.11.2', 'daemon') }), lastScanStatus: 'ok' },
      { content: snapshot({ 'apache.build': ok({ version: '2.4.62', mpm: 'prefork' }), 'python.runtime': runtime('3.11.2', 'embedded') }, [embedded]), lastScanStatus: 'ok' },
      { content: snapshot({ 'apache.build': ok({ version: '2.4.6', mpm: 'prefork' }), 'python.runtime': { status: 'failed', reason: 'no answer', facts: null } }), lastScanStatus: 'partial' },
      { content: null, lastScanStatus: 'unreachable' },
      { content: null, lastScanStatus: null },
    ]);
    expect(summary).toEqual({
      hosts: 5,
      apacheVersions: { values: [{ value: '2.4.62', hosts: 2 }, { value: '2.4.6', hosts: 1 }], unknown: 2 },
      mpms: { values: [{ value: 'prefork', hosts: 2 }, { value: 'event', hosts: 1 }], unknown: 2 },
      pythonVersions: { values: [{ value: '3.11.2', hosts: 2 }], unknown: 3 },
      modWsgiVersions: { values: [{ value: '5.0.0', hosts: 2 }], unknown: 3 },
      modes: { values: [{ value: 'daemon', hosts: 1 }, { value: 'embedded', hosts: 1 }], unknown: 3 },
      findings: [{ id: 'embedded-mode', severity: 'warning', hosts: 1 }],
      lastScanStatus: { ok: 2, partial: 1, unreachable: 1, never: 1 },
    });
  });

  it('summarizes an empty fleet', () => {
    expect(fleetSummary([])).toMatchObject({ hosts: 0, mpms: { values: [], unknown: 0 }, findings: [], lastScanStatus: {} });
  });
});
