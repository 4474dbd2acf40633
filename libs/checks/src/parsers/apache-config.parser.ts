import { telltaleLine } from '../util/failure';
import { nonEmptyLines } from '../util/text';
import { parseIncludes } from './includes.parser';
import { RunConfigFacts, parseRunConfig } from './run-cfg.parser';

/** What `dw_apache_cfg` learned: `-D DUMP_RUN_CFG -D DUMP_INCLUDES -t`, and unreadable files. */
export interface ApacheConfig {
  runConfig: RunConfigFacts | null;
  /** The included configuration files; null when Apache did not list them (config broken). */
  files: string[] | null;
  /** Included files the probe could not read: their directives are unknown. */
  unreadable: string[];
  /** Why Apache rejected the configuration, when it listed no files. */
  error: string | null;
}

export function readApacheConfig(dump: string | undefined, unreadable: string | undefined): ApacheConfig {
  if (dump === undefined) return { runConfig: null, files: null, unreadable: [], error: null };
  const includes = parseIncludes(dump);
  const runConfig = parseRunConfig(dump);
  const files = includes.status === 'ok' && includes.facts ? includes.facts.files : null;
  return {
    runConfig: runConfig.status === 'ok' ? runConfig.facts : null,
    files,
    unreadable: nonEmptyLines(unreadable ?? ''),
    error: files !== null ? null : runConfig.status === 'ok' ? 'Apache printed no DUMP_INCLUDES list' : (telltaleLine(dump) ?? 'the configuration test printed nothing'),
  };
}
