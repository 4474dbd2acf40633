import { CHECKS, framedOutput } from '@driftwatch/checks';
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
    expect(rows.Architecture).toBe('64-bit');
    expect(rows.APR).toBe('loaded 1.7.2, compiled 1.7.2');
    expect(rows['APR-UTIL']).toBe('loaded 1.6.3, compiled 1.6.3');
    expect(rows['Accept mutex']).toBe(
      'Apache children none (this MPM registers no mpm-accept mutex (only prefork and worker serialise accept; event does not)); mod_wsgi daemon groups pthread (APR default)',
    );
  });

  it('says when Apache loads another APR than it was compiled against', () => {
    const changed = sections.map((s) => (s.id === 'apache.build' ? { ...s, stdout: s.stdout.replace('Server loaded:  APR 1.7.2', 'Server loaded:  APR 1.7.5') } : s));
    const rows = Object.fromEntries(reportOf(changed).summary.rows.map((r) => [r.label, r.value]));
    expect(rows.APR).toBe('loaded 1.7.5, compiled 1.7.2 (differ)');
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
    const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
    for (const section of sections) {
      expect(blocks).toContain(`${section.meta.cmd}\n`);
      const parts = framedOutput(section.stdout).parts;
      if (parts.length === 0 && section.stdout) expect(blocks).toContain(withNewline(section.stdout));
      for (const part of parts) if (part.text) expect(blocks).toContain(withNewline(part.text));
      if (section.stderr) expect(blocks).toContain(withNewline(section.stderr));
    }
    expect(markdown).toContain('| Apache | 2.4.71, event MPM |');
    expect(markdown.indexOf('Apache build information')).toBeLessThan(markdown.indexOf('Operating system and kernel'));
  });

  it('shows each command’s own output under its command, without the probe’s framing, and the shared configuration dump once', () => {
    const report = reportOf(sections);
    const markdown = renderMarkdown(report);
    expect(markdown).not.toMatch(/^--- dw:/m);
    expect(markdown).not.toContain('@@DW:');
    const dump = framedOutput(sections.find((s) => s.id === 'apache.mutex')!.stdout).parts.find((p) => p.name === 'apache-cfg')!.text;
    expect(fencedBlocks(markdown).filter((b) => b.text === `${dump}\n`)).toHaveLength(1);
    const sharers = report.checks.filter((c) => c.parts.some((p) => p.name === 'apache-cfg')).map((c) => c.id);
    expect(sharers).toEqual(['apache.mutex', 'modwsgi.linkage', 'python.config']);
    const dumpCommand = sections.find((s) => s.id === 'apache.mutex')!.meta.cmd!.split('\n').find((c) => c.includes('DUMP_RUN_CFG'))!;
    expect(markdown).toContain(`\`$ ${dumpCommand}\` (exit 0):\n\n\`\`\`text\n${dump}\n`);
    expect(markdown).toContain(`\`$ ${dumpCommand}\` (exit 0): the same output as in check 5 (\`apache.mutex\`), shown there once.`);
    // The model keeps the stored stdout, framing and all.
    expect(report.checks.find((c) => c.id === 'apache.mutex')!.stdout).toBe(sections.find((s) => s.id === 'apache.mutex')!.stdout);
  });

  it('labels a part with the command the probe noted for it', () => {
    const mutex = sections.find((s) => s.id === 'apache.mutex')!;
    const labelled = sections.map((s) => (s === mutex ? { ...s, meta: { ...s.meta, 'part.apr-h': 'grep -E SERIALIZE /usr/include/apr-1/apr-x86_64.h' } } : s));
    const markdown = renderMarkdown(reportOf(labelled));
    expect(markdown).toContain('`$ grep -E SERIALIZE /usr/include/apr-1/apr-x86_64.h` (exit 0):');
    expect(markdown).toContain('part `directives` (printed by the probe) (exit 0):');
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
