import { hostname, homedir, userInfo } from 'node:os';
import { Optional } from '@nestjs/common';
import type { CheckResults, Finding, ProbeOverrides } from '@driftwatch/checks';
import { loadConfig } from '@driftwatch/config';
import { DiagnosticReport, KnownIdentities, buildReport, redactReport, renderMarkdown } from '@driftwatch/report';
import {
  HistoryService,
  LocalScanService,
  OverridesInput,
  ReportService,
  localProbeExecutor,
  readProbe,
  runProbe,
  validateInput,
} from '@driftwatch/scans';
import { Command, CommandRunner, Option } from 'nest-commander';

interface LocalScanOptions {
  local?: boolean;
  save?: boolean;
  report?: boolean;
  redact?: boolean;
  json?: boolean;
  name?: string;
  apachectl?: string;
  apxs?: string;
  modWsgiSo?: string;
  python?: string;
  diagnosticUrl?: string;
}

/** What `scan --local --json` prints: the same facts a stored snapshot holds. */
interface LocalScanView {
  host: string;
  via: 'local';
  status: string;
  error?: string;
  snapshotId?: number;
  changed?: boolean;
  hash?: string;
  checks?: CheckResults;
  findings?: Finding[];
}

/**
 * `driftwatch scan --local`: the probe run by this machine's own `sh`, no SSH, no server; no
 * database unless --save (runCli routes `scan --local` here). Parsing, snapshot and findings
 * are the code an SSH scan runs, so the facts are the same as an SSH scan of this machine.
 */
@Command({ name: 'scan', arguments: '[names...]', description: 'scan this machine with its own sh (--local); --save records it as a host named after the machine' })
export class LocalScanCommand extends CommandRunner {
  constructor(
    @Optional() private readonly local?: LocalScanService,
    @Optional() private readonly reports?: ReportService,
    @Optional() private readonly history?: HistoryService,
  ) {
    super();
  }

  async run(names: string[], options: LocalScanOptions): Promise<void> {
    if (!options.local) throw new Error('this form of scan needs --local');
    if (names.length > 0) throw new Error('scan --local scans this machine: name it with --name, not as an argument');
    if (options.redact && options.json && !options.report) throw new Error('--redact --json needs --report: the facts are printed as they are, the report is what gets redacted');
    const config = loadConfig();
    const overrides = this.overridesOf(options);
    const name = options.name ?? hostname();
    const executor = localProbeExecutor(config.scan);
    const identities: KnownIdentities = { hosts: [hostname(), name], users: [{ name: userInfo().username, home: homedir() }] };

    let view: LocalScanView;
    let report: DiagnosticReport | null = null;
    if (options.save) {
      if (!this.local || !this.reports || !this.history) throw new Error('--save needs the database');
      const outcome = await this.local.scanAndSave({ name, username: userInfo().username, overrides }, executor);
      view = { host: outcome.host, via: 'local', status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}), changed: outcome.changed };
      if (outcome.snapshotId !== undefined) {
        const stored = await this.history.snapshot(outcome.snapshotId);
        view = { ...view, snapshotId: stored.id, hash: stored.hash, checks: stored.checks, findings: stored.findings };
        report = await this.reports.report(outcome.host, { snapshotId: outcome.snapshotId });
      }
    } else {
      const reading = readProbe(await runProbe(executor, overrides));
      if (!reading.usable) {
        view = { host: name, via: 'local', status: 'failed', error: reading.error };
      } else {
        const { content, hash } = reading.snapshot;
        view = { host: name, via: 'local', status: reading.complete ? 'ok' : 'partial', ...(reading.problem ? { error: reading.problem } : {}), hash, checks: content.checks, findings: content.findings };
        report = buildReport({ source: { host: name, hash, via: 'local' }, content, sections: reading.parsed.sections });
      }
    }

    if (report && options.redact) report = redactReport(report, identities);
    process.stdout.write(this.render(view, report, options));
    if (view.status !== 'ok') {
      process.stderr.write(`driftwatch: local scan ${view.status}${view.error ? `: ${view.error}` : ''}\n`);
      process.exitCode = 3;
    }
  }

  private render(view: LocalScanView, report: DiagnosticReport | null, options: LocalScanOptions): string {
    if (options.report) {
      if (!report) return '';
      return options.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report);
    }
    if (options.json) return `${JSON.stringify(view, null, 2)}\n`;
    const head = `${report?.source.host ?? view.host} (local): ${view.status}${view.snapshotId !== undefined ? `, snapshot ${view.snapshotId}${view.changed ? ' (changed)' : ''}` : ''}`;
    if (!report) return `${head}\n`;
    const width = Math.max(...report.summary.rows.map((r) => r.label.length));
    const table = report.summary.rows.map((r) => `${r.label.padEnd(width)}  ${r.value}`).join('\n');
    const findings = report.findings.map((f) => `  [${f.severity}] ${f.id}: ${f.message}`);
    return `${head}\n\n${table}\n\n${findings.length ? `findings:\n${findings.join('\n')}` : 'no findings'}\n`;
  }

  private overridesOf(options: LocalScanOptions): ProbeOverrides | undefined {
    const given = {
      apachectl: options.apachectl,
      apxs: options.apxs,
      modWsgiSo: options.modWsgiSo,
      python: options.python,
      diagnosticUrl: options.diagnosticUrl,
    };
    const present = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    return Object.keys(present).length ? { ...validateInput(OverridesInput, present) } : undefined;
  }

  @Option({ flags: '--local', description: 'run the probe on this machine with its own sh (no SSH)' })
  parseLocal(): boolean {
    return true;
  }

  @Option({ flags: '--save', description: 'store the result as the host named after this machine (created with label "local")' })
  parseSave(): boolean {
    return true;
  }

  @Option({ flags: '--report', description: 'print the diagnostic report (Markdown) instead of the summary' })
  parseReport(): boolean {
    return true;
  }

  @Option({ flags: '--redact', description: 'replace host names, IP addresses, user names and home directories with placeholders' })
  parseRedact(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print JSON: the facts (or with --report, the report model)' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--name <name>', description: 'the host name to record this machine under (default: its host name)' })
  parseName(v: string) {
    return v;
  }

  @Option({ flags: '--apachectl <path>', description: 'Apache control binary instead of discovery' })
  parseApachectl(v: string) {
    return v;
  }

  @Option({ flags: '--apxs <path>', description: 'apxs instead of discovery' })
  parseApxs(v: string) {
    return v;
  }

  @Option({ flags: '--mod-wsgi-so <path>', description: 'mod_wsgi.so instead of discovery' })
  parseModWsgiSo(v: string) {
    return v;
  }

  @Option({ flags: '--python <path>', description: 'the Python to ask for package versions' })
  parsePython(v: string) {
    return v;
  }

  @Option({ flags: '--diagnostic-url <url>', description: 'URL of the diagnostic WSGI script (python.runtime)' })
  parseDiagnosticUrl(v: string) {
    return v;
  }
}
