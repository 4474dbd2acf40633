import { Check, CheckResult, RawSection } from '../check';
import { splitParts } from '../probe/parts';
import { setKey } from '../util/records';
import { failedWith } from '../util/failure';
import { shCommands } from '../util/sh-words';
import { nonEmptyLines } from '../util/text';
import { REQUIRE_CTL } from './ctl-fragment';

export interface ApacheConfigureFacts {
  /** Where apxs says Apache's build files are (`apxs -q installbuilddir`). */
  installBuildDir: string | null;
  /** The configure script config.nice runs, as written there. */
  configure: string | null;
  /** Every argument after the configure script, quotes removed, `VAR=value` ones included, without "$@". */
  configureArgs: string[] | null;
  /** Variables config.nice sets before running configure (`CFLAGS="…"; export CFLAGS`). */
  environment: Record<string, string>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Parses Apache's `config.nice`, or the one path `apxs -q installbuilddir` prints (then only
 * `installBuildDir` is known). Several `;;`-joined values (`apxs -q A B C`) are not a build dir.
 */
export function parseConfigNice(text: string): CheckResult<ApacheConfigureFacts> {
  const facts: ApacheConfigureFacts = { installBuildDir: null, configure: null, configureArgs: null, environment: {} };
  for (const words of shCommands(text)) {
    if (words.every((w) => ASSIGNMENT.test(w))) {
      for (const w of words) {
        const [, name, value] = ASSIGNMENT.exec(w)!;
        setKey(facts.environment, name, value);
      }
      continue;
    }
    if (facts.configure === null && /(^|[\\/])configure$/.test(words[0])) {
      facts.configure = words[0];
      facts.configureArgs = words.slice(1).filter((w) => w !== '$@');
    }
  }
  if (facts.configure !== null) return { status: 'ok', facts };

  const meaningful = nonEmptyLines(text);
  if (meaningful.length === 1 && /^(\/|[A-Za-z]:[\\/])[^;]*$/.test(meaningful[0])) {
    return { status: 'ok', facts: { ...facts, environment: {}, installBuildDir: meaningful[0] } };
  }
  if (meaningful.some((l) => l.includes(';;'))) {
    return { status: 'failed', reason: 'apxs printed several ;;-separated values, not one build directory', facts: null };
  }
  return failedWith('no configure invocation (config.nice) or build directory in the output', { stdout: text, stderr: '' });
}

export const apacheConfigureCheck: Check<ApacheConfigureFacts> = {
  id: 'apache.configure',
  title: 'Apache configure arguments (apxs -q installbuilddir, config.nice)',
  script: [
    REQUIRE_CTL,
    `[ -n "$dw_apxs" ] || dw_unavailable 'no apxs or apxs2 found (the Apache development package is not installed)'`,
    `dw_meta cmd "$dw_apxs -q installbuilddir"`,
    `dw_dir=$("$dw_apxs" -q installbuilddir)`,
    `dw_part_begin installbuilddir; printf '%s\\n' "$dw_dir"; dw_part_end installbuilddir 0`,
    `[ -n "$dw_dir" ] || dw_unavailable 'apxs -q installbuilddir printed no directory'`,
    `[ -f "$dw_dir/config.nice" ] || dw_unavailable "no config.nice in $dw_dir (distribution builds such as Debian's ship none)"`,
    `dw_meta cmd "cat $dw_dir/config.nice"`,
    `dw_part config.nice cat "$dw_dir/config.nice"`,
  ].join('\n'),
  parse(section: RawSection) {
    const parts = splitParts(section.stdout);
    const nice = parts.get('config.nice');
    if (!nice) return failedWith('config.nice was not read', section);
    const result = parseConfigNice(nice.text);
    if (result.status !== 'ok' || !result.facts) return result;
    const dir = nonEmptyLines(parts.get('installbuilddir')?.text ?? '')[0] ?? null;
    return { status: 'ok', facts: { ...result.facts, installBuildDir: dir } };
  },
};
