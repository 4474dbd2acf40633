import { DiagnosticReport, ReportCheck, ReportPart } from './report';
import { cell, fenced } from './fence';

export const REDACTION_NOTE =
  'This report was redacted: host names, IP addresses, user names and home directories are replaced by placeholders (`host-N`, `<ip-N>`, `user-N`, `/home/user-N`); the same value always has the same placeholder.';

function header(report: DiagnosticReport): string[] {
  const { source } = report;
  const lines = [`# driftwatch diagnostic report: ${source.host}`, ''];
  const how = source.via === 'local' ? 'scanned locally (`driftwatch scan --local`)' : 'scanned over SSH';
  const state =
    source.snapshotId !== undefined
      ? `Snapshot ${source.snapshotId} (sha256 \`${source.hash.slice(0, 16)}\`), ${how}; first seen ${source.firstSeenAt}, last seen ${source.lastSeenAt}, seen ${source.seenCount} time(s).`
      : `Unsaved scan (sha256 \`${source.hash.slice(0, 16)}\`), ${how}.`;
  lines.push(state, '');
  lines.push(
    "The checks follow mod_wsgi's *Checking Your Installation* guide, in its order. Each shows the commands that ran and their complete output, stdout and stderr, exactly as captured; where a check ran several commands, stdout is shown command by command, and output several checks share is shown once.",
    '',
  );
  if (report.redacted) lines.push(`> ${REDACTION_NOTE}`, '');
  return lines;
}

function summary(report: DiagnosticReport): string[] {
  const lines = ['## Summary', '', '| | |', '|---|---|'];
  for (const row of report.summary.rows) lines.push(`| ${cell(row.label)} | ${cell(row.value)} |`);
  lines.push('', '### Findings', '');
  if (report.findings.length === 0) {
    lines.push('No findings: none of the guide’s known problems shows in the facts that are known.', '');
    return lines;
  }
  lines.push('| severity | finding | check | explanation |', '|---|---|---|---|');
  for (const f of report.findings) lines.push(`| ${f.severity} | ${cell(f.id)} | ${cell(f.checkId)} | ${cell(f.message)} |`);
  lines.push('');
  return lines;
}

function stream(name: string, text: string): string[] {
  if (text.length === 0) return [`${name}: (empty)`, ''];
  return [`${name}:`, '', fenced(text), ''];
}

function partLabel(part: ReportPart): string {
  return part.command !== null ? `\`$ ${part.command.replace(/`/g, "'")}\`` : `part \`${part.name}\` (printed by the probe)`;
}

function partExit(part: ReportPart): string {
  return part.exitCode === null ? 'did not finish' : `exit ${part.exitCode}`;
}

/** stdout command by command, as each printed it; a part an earlier check shows is referred to. */
function partsStream(check: ReportCheck, numbers: Map<string, number>): string[] {
  const lines = ['stdout, command by command:', ''];
  for (const part of check.parts) {
    if (part.sameAs !== undefined) {
      lines.push(`${partLabel(part)} (${partExit(part)}): the same output as in check ${numbers.get(part.sameAs) ?? ''} (\`${part.sameAs}\`), shown there once.`, '');
      continue;
    }
    lines.push(`${partLabel(part)} (${partExit(part)}):`, '');
    lines.push(...(part.text.length === 0 ? ['(no output)', ''] : [fenced(part.text), '']));
  }
  if (check.unframed) lines.push('Printed outside the commands above:', '', fenced(check.unframed), '');
  return lines;
}

function checkSection(check: ReportCheck, index: number, numbers: Map<string, number>): string[] {
  const lines = [`### ${index + 1}. ${check.title}`, '', `Check \`${check.id}\`: **${check.status}**${check.reason ? ` — ${check.reason}` : ''}`, ''];
  if (!check.captured) return [...lines, '> No raw output was stored for this check.', ''];
  if (check.status === 'unavailable') lines.push(`> Unavailable on this host: ${check.reason ?? 'no reason given'}.`, '');
  if (check.truncated) {
    lines.push('> Output incomplete: the section never finished or the output exceeded the size cap; below is everything that was captured.', '');
  }
  if (check.commands.length) lines.push('Commands:', '', fenced(check.commands.join('\n'), 'sh'), '');
  else lines.push('Commands: (none noted)', '');
  const ms = check.durationMs !== null ? `, ${check.durationMs} ms` : '';
  lines.push(`Exit code: ${check.exitCode === null ? 'none (did not finish)' : check.exitCode}${ms}`, '');
  lines.push(...(check.parts.length > 0 ? partsStream(check, numbers) : stream('stdout', check.stdout)), ...stream('stderr', check.stderr));
  return lines;
}

/** The report as Markdown, ready to paste into an issue or a mailing list post. */
export function renderMarkdown(report: DiagnosticReport): string {
  const lines = [...header(report), ...summary(report), '## Checks', ''];
  const numbers = new Map(report.checks.map((c, i) => [c.id, i + 1]));
  report.checks.forEach((check, i) => lines.push(...checkSection(check, i, numbers)));
  return `${lines.join('\n').trimEnd()}\n`;
}


