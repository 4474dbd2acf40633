/** The report fixtures (test/fixtures/report) and a small CommonMark fence reader, for report specs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawSection, evaluate } from '@driftwatch/checks';
import { DiagnosticReport, buildReport } from '@driftwatch/report';
import { snapshotFromEvaluation } from '@driftwatch/snapshots';

const FIXTURES = join(__dirname, '../fixtures/report');

export function loadSections(name: string): RawSection[] {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as RawSection[];
}

export function reportOf(sections: RawSection[], host = 'web1'): DiagnosticReport {
  const snapshot = snapshotFromEvaluation(evaluate(sections));
  return buildReport({
    source: { host, snapshotId: 7, hash: snapshot.hash, firstSeenAt: '2026-11-21T10:00:00.000Z', lastSeenAt: '2026-11-21T11:00:00.000Z', seenCount: 2, via: 'ssh' },
    content: snapshot.content,
    sections,
  });
}

/** Every fenced block of a Markdown text with its info string, as CommonMark reads them. */
export function fencedBlocks(markdown: string): { info: string; text: string }[] {
  const blocks: { info: string; text: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j].startsWith(open[1]) && /^`+$/.test(lines[j]) && lines[j].length >= open[1].length)) body.push(lines[j++]);
    blocks.push({ info: open[2], text: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

