import { type CheckResult, type Finding, FIRST_PROBE_REVISION, firstObservedBetween } from '@driftwatch/checks';
import { type SnapshotContent, withoutObserved } from '@driftwatch/snapshots';
import { Category, Change, ChangeKind } from './change';
import { globToRegExp } from './glob';
import { FactLookup, LIST_RULES, ListRule, categoryOf, isFindingFact, isVolatile, severityOf } from './rules';

export interface DiffOptions {
  /** Path globs whose changes are not drift (DRIFT_IGNORE). */
  ignore?: readonly string[];
}

type Plain = Record<string, unknown>;

function isObject(value: unknown): value is Plain {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '∅';
  if (isObject(value) && typeof value.name === 'string') return value.name;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function leaf(path: string): string {
  const m = /([^.]+(?:\[[^\]]*\])?)$/.exec(path);
  return m ? m[1] : path;
}

function summarize(path: string, kind: ChangeKind, before: unknown, after: unknown): string {
  const name = leaf(path);
  if (path.startsWith('findings.') && (kind === 'added' || kind === 'removed')) {
    return `finding ${name} ${kind === 'added' ? 'appeared' : 'cleared'}`;
  }
  switch (kind) {
    case 'added':
      return `${name}: + ${show(after)}`;
    case 'removed':
      return `${name}: - ${show(before)}`;
    case 'changed':
      return `${name}: ${show(before)} → ${show(after)}`;
    case 'reordered':
      return `${name}: order changed`;
    case 'unknown':
      return `${path}: unknown (${show(before)} → ${show(after)})`;
  }
}

class ChangeCollector {
  readonly changes: Change[] = [];
  private readonly ignore: RegExp[];

  constructor(options: DiffOptions) {
    this.ignore = (options.ignore ?? []).filter((g) => g.trim()).map((g) => globToRegExp(g.trim()));
  }

  add(path: string, kind: ChangeKind, before: unknown, after: unknown, category: Category = categoryOf(path)): void {
    if (this.ignore.some((re) => re.test(path))) return;
    this.changes.push({
      path,
      kind,
      before: before ?? null,
      after: after ?? null,
      category,
      severity: severityOf({ path, kind, before, after, category }),
      summary: summarize(path, kind, before, after),
    });
  }
}

function memberKey(value: unknown, rule: ListRule): string {
  if (rule.key && isObject(value) && value[rule.key] !== undefined) return String(value[rule.key]);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function diffList(out: ChangeCollector, path: string, before: unknown[], after: unknown[]): void {
  const rule = LIST_RULES[path] ?? { ordered: true };
  const beforeByKey = new Map(before.map((v) => [memberKey(v, rule), v]));
  const afterByKey = new Map(after.map((v) => [memberKey(v, rule), v]));
  for (const [key, value] of beforeByKey) if (!afterByKey.has(key)) out.add(path, 'removed', value, null);
  for (const [key, value] of afterByKey) if (!beforeByKey.has(key)) out.add(path, 'added', null, value);
  if (rule.key) {
    for (const [key, value] of afterByKey) {
      if (beforeByKey.has(key)) diffValue(out, `${path}[${key}]`, beforeByKey.get(key), value);
    }
  }
  if (rule.ordered) {
    const commonBefore = [...beforeByKey.keys()].filter((k) => afterByKey.has(k));
    const commonAfter = [...afterByKey.keys()].filter((k) => beforeByKey.has(k));
    if (commonBefore.join('\n') !== commonAfter.join('\n')) out.add(path, 'reordered', commonBefore, commonAfter);
  }
}

function diffValue(out: ChangeCollector, path: string, before: unknown, after: unknown): void {
  if (Array.isArray(before) && Array.isArray(after)) return diffList(out, path, before, after);
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      const b = before[key];
      const a = after[key];
      const child = `${path}.${key}`;
      if (b === undefined && a !== undefined) out.add(child, 'added', null, a);
      else if (a === undefined && b !== undefined) out.add(child, 'removed', b, null);
      else diffValue(out, child, b, a);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.add(path, 'changed', before, after);
}

/** Looks up `<check id>.<fact path>` in a snapshot (check ids contain one dot themselves). */
function factLookup(snapshot: SnapshotContent): FactLookup {
  return (path) => {
    const [group, name, ...rest] = path.split('.');
    let value: unknown = snapshot.checks[`${group}.${name}`]?.facts;
    for (const key of rest) value = isObject(value) ? value[key] : undefined;
    return value;
  };
}

function statusText(result: CheckResult | undefined): string {
  if (!result) return 'not run';
  return result.reason ? `${result.status}: ${result.reason}` : result.status;
}

/**
 * Findings that appeared or cleared. A finding of a check that is unknown on one side (its
 * `unknown` change was reported) is not compared: it was not observed to appear or clear, the
 * check's facts behind it were simply not known (e.g. `embedded-mode` while the diagnostic URL
 * does not answer).
 */
function diffFindings(out: ChangeCollector, before: Finding[], after: Finding[], unknownChecks: ReadonlySet<string>): void {
  const beforeIds = new Map(before.map((f) => [f.id, f]));
  const afterIds = new Map(after.map((f) => [f.id, f]));
  for (const [id, f] of beforeIds) {
    if (!afterIds.has(id) && !unknownChecks.has(f.checkId)) out.add(`findings.${id}`, 'removed', f, null, categoryOf(f.checkId));
  }
  for (const [id, f] of afterIds) {
    if (!beforeIds.has(id) && !unknownChecks.has(f.checkId)) out.add(`findings.${id}`, 'added', null, f, categoryOf(f.checkId));
  }
}

/**
 * The semantic difference between two snapshots of one host. Unknown is not absent: when a
 * check is not `ok` on either side, its facts are not compared and one `unknown` change
 * stands for the whole check (and for the findings of that check).
 */
export function diffSnapshots(beforeContent: SnapshotContent, afterContent: SnapshotContent, options: DiffOptions = {}): Change[] {
  // What a scan observed (error log occurrences) is not state: only the rest is compared.
  const before = withoutObserved(beforeContent);
  const after = withoutObserved(afterContent);
  const out = new ChangeCollector(options);
  const checkIds = [...new Set([...Object.keys(before.checks), ...Object.keys(after.checks)])].sort();
  const unknownChecks = new Set<string>();
  for (const id of checkIds) {
    const b = before.checks[id];
    const a = after.checks[id];
    if (b?.status === 'ok' && a?.status === 'ok') {
      const inner = new ChangeCollector(options);
      diffValue(inner, id, b.facts, a.facts);
      for (const c of inner.changes) {
        if (!isVolatile(c.path, factLookup(before), factLookup(after)) && !isFindingFact(c.path)) out.changes.push(c);
      }
    } else if (statusText(b) !== statusText(a)) {
      unknownChecks.add(id);
      out.add(id, 'unknown', statusText(b), statusText(a));
    }
  }
  diffFindings(out, before.findings ?? [], after.findings ?? [], unknownChecks);
  return notObservedByEarlierProbe(out.changes, before.probeRevision ?? FIRST_PROBE_REVISION, after.probeRevision ?? FIRST_PROBE_REVISION);
}

/**
 * Across probe revisions, what only the newer probe looks for was not observed by the older
 * one: its "added" (or, going back, "removed") is unknown, quietly, rather than drift.
 */
function notObservedByEarlierProbe(changes: Change[], beforeRevision: number, afterRevision: number): Change[] {
  if (beforeRevision === afterRevision) return changes;
  return changes.map((c) => {
    const revision = c.kind === 'changed' || c.kind === 'reordered' ? undefined : firstObservedBetween(c.path, beforeRevision, afterRevision);
    if (revision === undefined) return c;
    return { ...c, kind: 'unknown', severity: 'info', summary: `${c.path}: not observed before probe revision ${revision}` };
  });
}
