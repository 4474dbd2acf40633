import type { Severity } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { Category, ChangeKind } from './change';
import { globToRegExp } from './glob';
import { LIST_RULES, categoryOf, isVolatile, severityOf } from './rules';

/** One host of a label cohort and its current state (null when it was never scanned). */
export interface CohortMember {
  name: string;
  golden: boolean;
  content: SnapshotContent | null;
}

export interface FleetBaselineOptions {
  /** Path globs that are never drift (DRIFT_IGNORE). */
  ignore?: readonly string[];
}

/** The reference value of one fact in the cohort. `absent` facts are known not to exist (a module not loaded). */
export interface BaselineFact {
  path: string;
  category: Category;
  value: unknown;
  absent?: true;
  /** `golden`: the golden host(s) decided; `majority`: the most common value among the hosts that know the fact. */
  source: 'golden' | 'majority';
  /** Hosts whose value is the baseline, out of `known` hosts whose check was `ok`. */
  agreeing: number;
  known: number;
}

/** A fact whose most common value is shared by more than one value: no baseline, nobody deviates on it. */
export interface ContestedFact {
  path: string;
  category: Category;
  source: 'golden' | 'majority';
  candidates: { value: unknown; absent?: true; hosts: string[] }[];
}

export interface Deviation {
  path: string;
  category: Category;
  severity: Severity;
  /** `added`: the host has what the baseline lacks; `removed`: the reverse; `changed`: another value. */
  kind: Extract<ChangeKind, 'added' | 'removed' | 'changed'>;
  baseline: unknown;
  value: unknown;
}

export interface HostStanding {
  host: string;
  golden: boolean;
  /** False when the host has no state yet: nothing about it is known. */
  scanned: boolean;
  /** Sum of the deviations' weights (SEVERITY_WEIGHT); 0 for a host that matches the baseline. */
  score: number;
  counts: Record<Severity, number>;
  /** Checks not `ok` on this host: their facts are unknown here and never count as deviation. */
  unknownChecks: string[];
  deviations: Deviation[];
}

export interface FleetDrift {
  golden: string[];
  baseline: BaselineFact[];
  contested: ContestedFact[];
  /** Every member, most deviating first (score, then number of deviations, then name). */
  hosts: HostStanding[];
}

/** How much one deviating fact weighs in a host's score. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { info: 1, warning: 3, critical: 9 };

const ABSENT = '\u0000absent';

interface Fact {
  checkId: string;
  /** The path the severity and category rules know (the list's path for a list member). */
  rulePath: string;
  value: unknown;
  /** For findings: the finding's own severity. */
  severity?: Severity;
}

type Plain = Record<string, unknown>;
const isObject = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v);
const keyOf = (v: unknown): string => (v === ABSENT ? ABSENT : JSON.stringify(v ?? null));

/**
 * Flattens a check's facts into comparable leaves. Keyed lists (loaded modules, daemon
 * processes) become one fact per member, so a missing module is one deviation; lists without
 * order compare sorted; other lists compare whole. Module load order is not compared across
 * hosts (it is drift over time, not a fleet property).
 */
function flatten(checkId: string, path: string, value: unknown, out: Map<string, Fact>): void {
  if (isObject(value)) {
    for (const key of Object.keys(value)) flatten(checkId, `${path}.${key}`, value[key], out);
    return;
  }
  if (Array.isArray(value)) {
    const rule = LIST_RULES[path];
    if (rule?.key) {
      for (const member of value) {
        const key = isObject(member) && member[rule.key] !== undefined ? String(member[rule.key]) : keyOf(member);
        out.set(`${path}[${key}]`, { checkId, rulePath: path, value: member });
      }
      return;
    }
    const list = rule && !rule.ordered ? [...value].sort((a, b) => keyOf(a).localeCompare(keyOf(b))) : value;
    out.set(path, { checkId, rulePath: path, value: list });
    return;
  }
  out.set(path, { checkId, rulePath: path, value });
}

interface Observed {
  member: CohortMember;
  okChecks: Set<string>;
  facts: Map<string, Fact>;
}

function observe(member: CohortMember): Observed {
  const facts = new Map<string, Fact>();
  const okChecks = new Set<string>();
  for (const [checkId, result] of Object.entries(member.content?.checks ?? {})) {
    if (result.status !== 'ok') continue;
    okChecks.add(checkId);
    flatten(checkId, checkId, result.facts, facts);
  }
  for (const finding of member.content?.findings ?? []) {
    if (!okChecks.has(finding.checkId)) continue;
    facts.set(`findings.${finding.id}`, { checkId: finding.checkId, rulePath: `findings.${finding.id}`, value: true, severity: finding.severity });
  }
  return { member, okChecks, facts };
}

/** The most common value by key; undefined when several values share the top count. */
function mostCommon(keys: string[]): { winner?: string; groups: Map<string, number[]> } {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  let top = 0;
  let winner: string | undefined;
  for (const [key, group] of groups) {
    if (group.length > top) [top, winner] = [group.length, key];
    else if (group.length === top) winner = undefined;
  }
  return { winner, groups };
}

const shown = (v: unknown): { value: unknown; absent?: true } => (v === ABSENT ? { value: null, absent: true } : { value: v ?? null });

const valueAt = (o: Observed, path: string): unknown => (o.facts.has(path) ? o.facts.get(path)!.value : ABSENT);

function deviationKind(baseline: unknown, value: unknown): Deviation['kind'] {
  if (baseline === ABSENT) return 'added';
  if (value === ABSENT) return 'removed';
  return 'changed';
}

/**
 * The baseline of a label cohort and how far each host is from it. For every fact, the hosts
 * whose check is `ok` vote: a golden host's value wins (several golden hosts: their most common
 * value); without a golden host that knows the fact, the most common value among those that
 * know it. A tie leaves the fact contested: no baseline, no deviation. A fact of a check that
 * is not `ok` on a host is unknown there and never a deviation.
 */
export function fleetBaseline(members: CohortMember[], options: FleetBaselineOptions = {}): FleetDrift {
  const ignore = (options.ignore ?? []).filter((g) => g.trim()).map((g) => globToRegExp(g.trim()));
  const ignored = (path: string, rulePath: string) => ignore.some((re) => re.test(path) || re.test(rulePath));
  const observed = members.map(observe);
  const scanned = observed.filter((o) => o.member.content);

  const paths = new Map<string, Fact>();
  for (const o of scanned) for (const [path, fact] of o.facts) if (!paths.has(path)) paths.set(path, fact);

  const baseline: BaselineFact[] = [];
  const contested: ContestedFact[] = [];
  const deviations = new Map<string, Deviation[]>(members.map((m) => [m.name, []]));
  const baselineValues = new Map<string, unknown>();

  for (const [path, sample] of [...paths.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (ignored(path, sample.rulePath)) continue;
    const known = scanned.filter((o) => o.okChecks.has(sample.checkId));
    const values = known.map((o) => valueAt(o, path));
    const keys = values.map(keyOf);
    const goldenIdx = known.flatMap((o, i) => (o.member.golden ? [i] : []));
    const voterIdx = goldenIdx.length ? goldenIdx : known.map((_, i) => i);
    const source = goldenIdx.length ? 'golden' : 'majority';
    const category = sample.severity ? categoryOf(sample.checkId) : categoryOf(path);
    const { winner, groups } = mostCommon(voterIdx.map((i) => keys[i]));
    if (winner === undefined) {
      contested.push({
        path,
        category,
        source,
        candidates: [...groups.values()].map((idx) => ({ ...shown(values[voterIdx[idx[0]]]), hosts: idx.map((i) => known[voterIdx[i]].member.name) })),
      });
      continue;
    }
    const baselineValue = values[keys.indexOf(winner)];
    baselineValues.set(path, baselineValue);
    const agreeing = keys.filter((k) => k === winner).length;
    baseline.push({ path, category, ...shown(baselineValue), source, agreeing, known: known.length });
    known.forEach((o, i) => {
      if (keys[i] === winner) return;
      const kind = deviationKind(baselineValue, values[i]);
      const before = baselineValue === ABSENT ? null : baselineValue;
      const after = values[i] === ABSENT ? null : values[i];
      const severity = sample.severity ?? severityOf({ path: sample.rulePath, kind, before, after, category });
      deviations.get(o.member.name)!.push({ path, category, severity, kind, baseline: before, value: after });
    });
  }

  const allChecks = [...new Set(scanned.flatMap((s) => [...s.okChecks]))].sort();
  const hosts = observed.map((o): HostStanding => {
    // A build date differs between rebuilds of one version: not a deviation while the version matches the baseline's.
    const own = deviations.get(o.member.name)!.filter((d) => !isVolatile(d.path, (p) => baselineValues.get(p), (p) => valueAt(o, p)));
    const counts: Record<Severity, number> = { info: 0, warning: 0, critical: 0 };
    for (const d of own) counts[d.severity]++;
    return {
      host: o.member.name,
      golden: o.member.golden,
      scanned: !!o.member.content,
      score: own.reduce((sum, d) => sum + SEVERITY_WEIGHT[d.severity], 0),
      counts,
      unknownChecks: o.member.content ? allChecks.filter((c) => !o.okChecks.has(c)) : [],
      deviations: own,
    };
  });
  hosts.sort((a, b) => b.score - a.score || b.deviations.length - a.deviations.length || Number(b.scanned) - Number(a.scanned) || a.host.localeCompare(b.host));

  return { golden: members.filter((m) => m.golden).map((m) => m.name).sort(), baseline, contested, hosts };
}
