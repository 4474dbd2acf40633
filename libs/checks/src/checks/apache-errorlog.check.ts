import { Check, CheckResult, CheckResults, Finding, RawSection } from '../check';
import { ErrorLogFacts, parseErrorLog } from '../parsers/error-log.parser';
import { splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { REQUIRE_CTL } from './ctl-fragment';

export interface ApacheErrorLogFacts extends ErrorLogFacts {
  /** Where the lines came from: the main ErrorLog file, or the systemd journal (ErrorLog to stderr). */
  source: 'file' | 'journal';
  /** The file read, or the journal unit. */
  path: string;
  /** The most bytes read from the end of the log (DW_ERRORLOG_BYTES, default 256 KiB). */
  limitBytes: number;
  /** Volatile: what this scan read. */
  read: { bytes: number; sizeBytes: number | null };
}

export const DEFAULT_ERRORLOG_BYTES = 262_144;
/** The most an override may ask for: the probe's output is capped, and the log is only one check. */
export const MAX_ERRORLOG_BYTES = 4_194_304;

/**
 * Reads the tail of the main ErrorLog that DUMP_RUN_CFG names (made absolute with ServerRoot),
 * or the unit's journal when the log goes to stderr. Read-only and bounded: `tail -c`, or the
 * journal's last lines cut to the same byte limit. A log the login user cannot read is
 * `unavailable` with its owner and mode, or its directory's when the user cannot even enter it
 * (Debian's /var/log/apache2 is root:adm 0750 and its logs 0640: add the user to group adm, or
 * scan the host with sudo), never "does not exist"; so is a journal that shows the user none of
 * the system's lines (journalctl then prints nothing for the unit), never an empty log.
 */
const SCRIPT = String.raw`${REQUIRE_CTL}
dw_apache_cfg
dw_max=$DW_ERRORLOG_BYTES
case $dw_max in ''|*[!0-9]*) dw_max=${DEFAULT_ERRORLOG_BYTES} ;; esac
[ "$dw_max" -le ${MAX_ERRORLOG_BYTES} ] || dw_max=${MAX_ERRORLOG_BYTES}
dw_meta limit "$dw_max"
dw_el=$(printf '%s\n' "$dw_cfg" | sed -n 's/^[[:space:]]*Main ErrorLog: "\(.*\)"[[:space:]]*$/\1/p' | head -n 1)
[ -n "$dw_el" ] || dw_unavailable 'Apache did not name its main ErrorLog (DUMP_RUN_CFG needs Apache 2.4 and a configuration that parses)'
case $dw_el in
  syslog|syslog:*) dw_unavailable "ErrorLog goes to syslog ($dw_el): its lines are in the syslog daemon's files, which this check does not read" ;;
  '|'*) dw_unavailable "ErrorLog is piped to a program ($dw_el): its lines are wherever that program writes them" ;;
  /dev/stderr|/proc/self/fd/2|stderr)
    dw_find journalctl || dw_unavailable "ErrorLog goes to stderr ($dw_el) and there is no journalctl to read it from"
    dw_meta source journal
    # A user the journal does not let see the system's lines reads nothing for the unit (with -q not even why): say so, as for a closed file.
    case $(journalctl --no-pager -n 0 2>&1 >/dev/null) in
      *'insufficient permissions'*|*'not seeing messages from other users and the system'*)
        dw_unavailable "cannot read the system journal as $(id -un) ($(id -Gn)): add the user to group systemd-journal (or adm where the journal's ACL grants it) or register the host with sudo" ;;
    esac
    for dw_u in apache2 httpd; do
      if journalctl -u "$dw_u" --no-pager -q -n 1 -o cat 2>/dev/null | grep -q .; then break; fi
    done
    dw_meta path "$dw_u"
    dw_meta cmd "journalctl -u $dw_u --no-pager -o cat -n 20000 | tail -c $dw_max"
    dw_part_begin tail; journalctl -u "$dw_u" --no-pager -q -o cat -n 20000 2>&1 | tail -c "$dw_max"; dw_part_end tail 0
    exit 0 ;;
  /*) ;;
  *) dw_el=$dw_cfg_root/$dw_el ;;
esac
dw_meta source file
dw_meta path "$dw_el"
dw_closed() {
  dw_unavailable "cannot read the ErrorLog $dw_el as $(id -un) ($(id -Gn)): $1 is $(ls -ld "$1" 2>&1 | awk '{print $1, $3 ":" $4}'); add the user to the log's group or register the host with sudo"
}
if [ ! -e "$dw_el" ]; then
  # A log in a directory the user may not search (Debian's /var/log/apache2 is root:adm 0750) looks absent.
  dw_eld=${'$'}{dw_el%/*}
  if [ -d "$dw_eld" ] && [ ! -x "$dw_eld" ]; then dw_closed "$dw_eld"; fi
  dw_unavailable "the ErrorLog $dw_el does not exist"
fi
[ -r "$dw_el" ] || dw_closed "$dw_el"
dw_meta size "$(wc -c < "$dw_el" | tr -d ' ')"
dw_meta cmd "tail -c $dw_max $dw_el"
dw_part tail tail -c "$dw_max" "$dw_el"`;

function numberOr(value: string | undefined, fallback: number | null): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

export function parseApacheErrorLog(section: RawSection): CheckResult<ApacheErrorLogFacts> {
  const tail = splitParts(section.stdout).get('tail');
  if (!tail) return failedWith('the probe did not read the error log', section);
  const limitBytes = numberOr(section.meta.limit, DEFAULT_ERRORLOG_BYTES) ?? DEFAULT_ERRORLOG_BYTES;
  const sizeBytes = numberOr(section.meta.size, null);
  // Cut at a byte offset, the first line is a fragment: drop it rather than misread it.
  const text = sizeBytes !== null && sizeBytes > limitBytes ? tail.text.slice(tail.text.indexOf('\n') + 1) : tail.text;
  const parsed = parseErrorLog(text);
  if (parsed.status !== 'ok' || !parsed.facts) return { status: parsed.status, reason: parsed.reason, facts: null };
  return {
    status: 'ok',
    facts: {
      source: section.meta.source === 'journal' ? 'journal' : 'file',
      path: section.meta.path ?? '',
      limitBytes,
      read: { bytes: Buffer.byteLength(tail.text, 'utf8'), sizeBytes },
      ...parsed.facts,
    },
  };
}

/** One finding per kind of error in the log; the message never carries times or counts, so recurring errors are no new state. */
function errorLogFindings(results: CheckResults): Finding[] {
  const facts = okFacts<ApacheErrorLogFacts>(results, 'apache.errorlog');
  if (!facts) return [];
  return facts.events.map((e) => ({
    id: `errorlog-${e.id}`,
    severity: e.severity,
    checkId: 'apache.errorlog',
    message: `Error log (${facts.path}): ${e.message}${e.details.length ? ` [${e.details.join(', ')}]` : ''}`,
  }));
}

export const apacheErrorLogCheck: Check<ApacheErrorLogFacts> = {
  id: 'apache.errorlog',
  title: 'Apache main error log: the last lines (tail -c, or journalctl) turned into findings',
  script: SCRIPT,
  parse: parseApacheErrorLog,
  findings: errorLogFindings,
  observedFacts: ['occurrences', 'read'],
};
