import { telltaleLine } from '../util/failure';
import { nonEmptyLines } from '../util/text';
import { parseIncludes } from './includes.parser';
import { RunConfigFacts, parseRunConfig } from './run-cfg.parser';

/** Who listed the configuration files: Apache's own dump, or the probe's walk of them (config-walk.ts). */
export type ConfigSource = 'dump' | 'walk';

/** What `dw_apache_cfg` learned: `-D DUMP_RUN_CFG -D DUMP_INCLUDES -t`, its own walk, and unreadable files. */
export interface ApacheConfig {
  runConfig: RunConfigFacts | null;
  /** The included configuration files; null when neither Apache nor the walk listed them. */
  files: string[] | null;
  source: ConfigSource | null;
  /** ServerRoot from the walk when Apache could not print it. */
  serverRoot: string | null;
  /** Included files the probe could not read: their directives are unknown. */
  unreadable: string[];
  /** Why Apache rejected the configuration, when it listed no files. */
  error: string | null;
}

function listed(text: string | undefined): string[] | null {
  const includes = text === undefined ? null : parseIncludes(text);
  return includes?.status === 'ok' && includes.facts ? includes.facts.files : null;
}

/**
 * `dump`: part `apache-cfg`; `walk`: part `cfg-walk`, present when the configuration test failed.
 * A failed test lists only the files Apache read before it failed, so the walk's list wins.
 */
export function readApacheConfig(dump: string | undefined, unreadable: string | undefined, walk?: string): ApacheConfig {
  if (dump === undefined) return { runConfig: null, files: null, source: null, serverRoot: null, unreadable: [], error: null };
  const runConfig = parseRunConfig(dump);
  const walked = listed(walk);
  const dumped = walked ? null : listed(dump);
  const rejected = walked !== null || dumped === null;
  return {
    runConfig: runConfig.status === 'ok' ? runConfig.facts : null,
    files: walked ?? dumped,
    source: walked ? 'walk' : dumped ? 'dump' : null,
    serverRoot: walked ? (/^ServerRoot: "(.*)"$/m.exec(walk ?? '')?.[1] ?? null) : null,
    unreadable: nonEmptyLines(unreadable ?? ''),
    error: !rejected ? null : runConfig.status === 'ok' && !walked ? 'Apache printed no DUMP_INCLUDES list' : (telltaleLine(dump) ?? 'the configuration test printed nothing'),
  };
}
