import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { setKey } from '../util/records';
import { nonEmptyLines } from '../util/text';

export interface RunCfgMutex {
  name: string;
  mechanism: string | null;
  dir: string | null;
  usingDefaults: boolean;
}

export interface RunAccount {
  name: string | null;
  id: number | null;
}

export interface RunConfigFacts {
  serverRoot: string | null;
  documentRoot: string | null;
  errorLog: string | null;
  pidFile: string | null;
  /** `Mutex NAME: …` lines, sorted by name (Apache prints them in hash order). */
  mutexes: RunCfgMutex[];
  /** `Define:` lines, without the DUMP_* ones the command line itself added. */
  defines: Record<string, string | true>;
  user: RunAccount | null;
  group: RunAccount | null;
}

function quoted(value: string): string {
  const m = /^"(.*)"\s*$/.exec(value.trim());
  return m ? m[1] : value.trim();
}

function mutexOf(name: string, rest: string): RunCfgMutex {
  const usingDefaults = /using_defaults/.test(rest);
  return {
    name,
    mechanism: /mechanism=(\S+)/.exec(rest)?.[1] ?? null,
    dir: /dir="([^"]*)"/.exec(rest)?.[1] ?? null,
    usingDefaults,
  };
}

function account(rest: string): RunAccount {
  const id = /\bid=(\d+)/.exec(rest)?.[1];
  return { name: /name="([^"]*)"/.exec(rest)?.[1] ?? null, id: id === undefined ? null : Number(id) };
}

/**
 * Parses `-t -D DUMP_RUN_CFG` (also `-S`, and DUMP_INCLUDES output mixed in). Apache 2.2 ignores
 * DUMP_RUN_CFG and prints only "Syntax OK": that is `unavailable`, not an empty configuration.
 */
export function parseRunConfig(text: string): CheckResult<RunConfigFacts> {
  const facts: RunConfigFacts = {
    serverRoot: null,
    documentRoot: null,
    errorLog: null,
    pidFile: null,
    mutexes: [],
    defines: {},
    user: null,
    group: null,
  };
  let seen = 0;
  for (const line of nonEmptyLines(text)) {
    const m = /^(ServerRoot|Main DocumentRoot|Main ErrorLog|PidFile|Mutex ([^\s:]+)|Define|User|Group):\s?(.*)$/.exec(line);
    if (!m) continue;
    seen++;
    const [, key, mutexName, rest] = m;
    if (key === 'ServerRoot') facts.serverRoot = quoted(rest);
    else if (key === 'Main DocumentRoot') facts.documentRoot = quoted(rest);
    else if (key === 'Main ErrorLog') facts.errorLog = quoted(rest);
    else if (key === 'PidFile') facts.pidFile = quoted(rest);
    else if (key === 'User') facts.user = account(rest);
    else if (key === 'Group') facts.group = account(rest);
    else if (mutexName !== undefined) facts.mutexes.push(mutexOf(mutexName, rest));
    else {
      const d = /^(\S+?)(?:=(.*))?$/.exec(rest.trim());
      if (d && !d[1].startsWith('DUMP_')) setKey(facts.defines, d[1], d[2] === undefined ? true : d[2]);
    }
  }
  facts.mutexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (seen > 0) return { status: 'ok', facts };
  if (/^\s*Syntax OK\s*$/m.test(text)) {
    return { status: 'unavailable', reason: 'this Apache does not support -D DUMP_RUN_CFG (2.2 prints only "Syntax OK")', facts: null };
  }
  return failedWith('no run-time configuration in the output', { stdout: text, stderr: '' });
}
