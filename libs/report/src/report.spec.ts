import { CHECKS } from '@driftwatch/checks';
import { fencedBlocks, loadSections, reportOf } from '../../../test/support/report-fixtures';
import { fenceFor } from './fence';
import { renderMarkdown } from './markdown';
import { buildReport } from './report';

describe(buildReport.name, () => {
  const sections = loadSections('debian-12-event.sections.json');

  it('lists every check in the guide’s order with its commands and raw output untouched', () => {
    const report = reportOf(sections);
    expect(report.checks.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    for (const section of sections) {
      const check = report.checks.find((c) => c.id === section.id)!;
      expect(check).toMatchObject({ stdout: section.stdout, stderr: section.stderr, exitCode: section.exitCode, truncated: false, captured: true });
      expect(check.commands).toEqual(section.meta.cmd!.split('\n'));
    }
  });

  it('summarises Apache, mod_wsgi, Python and libpython from the facts', () => {
    const rows = Object.fromEntries(reportOf(sections).summary.rows.map((r) => [r.label, r.value]));
    expect(rows.Apache).toBe('2.4.71, event MPM');
    expect(rows.mod_wsgi).toContain('daemon mode');
    expect(rows.Python).toBe('3.11.2, sys.prefix /usr');
    expect(rows['libpython linkage']).toMatch(/^shared, libpython3\.11\.so\.1\.0 => \S+libpython3\.11\.so\.1\.0/);
    expect(rows['Operating system']).toContain('Debian GNU/Linux 12 (bookworm)');
  });

  it('says why a summary value is unknown', () => {
    const without = sections.map((s) => (s.id === 'python.runtime' ? { ...s, meta: { ...s.meta, unavailable: 'no diagnostic URL configured' } } : s));
    const rows = Object.fromEntries(reportOf(without).summary.rows.map((r) => [r.label, r]));
    expect(rows.Python).toEqual({ label: 'Python', value: 'unknown (python.runtime: unavailable, no diagnostic URL configured)', known: false });
    expect(rows.mod_wsgi.value).toBe('4.9.4-1+b2 (OS package)');
  });

  it('keeps sections of checks it does not know, after the known ones', () => {
    const report = reportOf([...sections, { id: 'future.check', exitCode: 0, stdout: 'x\n', stderr: '', durationMs: 1, truncated: false, meta: {} }]);
    expect(report.checks.at(-1)).toMatchObject({ id: 'future.check', stdout: 'x\n' });
  });
});

describe(renderMarkdown.name, () => {
  const sections = loadSections('debian-12-event.sections.json');

  it('holds each check’s commands, stdout and stderr exactly, in fenced blocks', () => {
    const markdown = renderMarkdown(reportOf(sections));
    const blocks = fencedBlocks(markdown).map((b) => b.text);
    for (const section of sections) {
      expect(blocks).toContain(`${section.meta.cmd}\n`);
      if (section.stdout) expect(blocks).toContain(section.stdout.endsWith('\n') ? section.stdout : `${section.stdout}\n`);
      if (section.stderr) expect(blocks).toContain(section.stderr.endsWith('\n') ? section.stderr : `${section.stderr}\n`);
    }
    expect(markdown).toContain('| Apache | 2.4.71, event MPM |');
    expect(markdown.indexOf('Apache build information')).toBeLessThan(markdown.indexOf('Operating system and kernel'));
  });

  it('lists findings with their explanation', () => {
    const report = reportOf(sections);
    expect(report.findings.length).toBeGreaterThan(0);
    const markdown = renderMarkdown(report);
    for (const f of report.findings) expect(markdown).toContain(`| ${f.severity} | ${f.id} | ${f.checkId} | ${f.message.replace(/\|/g, '\\|')} |`);
  });

  it('chooses a fence longer than any backtick run, so output with fences survives', () => {
    const tricky = 'before\n```\nnot the end\n````\nstill inside `x`\n';
    expect(fenceFor(tricky)).toBe('`````');
    const report = reportOf(sections.map((s) => (s.id === 'apache.build' ? { ...s, stderr: tricky } : s)));
    expect(fencedBlocks(renderMarkdown(report)).map((b) => b.text)).toContain(tricky);
  });

  it('notes truncated output, unavailable checks and missing evidence', () => {
    const changed = sections
      .filter((s) => s.id !== 'packages.os')
      .map((s) => (s.id === 'apache.build' ? { ...s, truncated: true, exitCode: null, stdout: s.stdout.slice(0, 100) } : s));
    const markdown = renderMarkdown(reportOf(changed));
    const part = (id: string) => markdown.slice(markdown.indexOf(`Check \`${id}\``), markdown.indexOf('### ', markdown.indexOf(`Check \`${id}\``)));
    expect(part('apache.build')).toContain('Output incomplete');
    expect(part('apache.build')).toContain('Exit code: none (did not finish)');
    expect(part('apache.configure')).toContain("Unavailable on this host: no config.nice in /usr/share/apache2/build (distribution builds such as Debian's ship none).");
    expect(part('packages.os')).toContain('No raw output was stored for this check.');
  });
});
