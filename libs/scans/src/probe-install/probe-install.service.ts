import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity } from '@driftwatch/persistence';
import { ExecResult, SshTransport } from '@driftwatch/ssh';
import { DomainError, DomainErrorCode } from '../errors';
import { HostsService } from '../hosts/hosts.service';
import { OverridesInput } from '../hosts/host-input';
import { HostTargetsService } from '../hosts/host-targets.service';
import { validateInput } from '../validate-input';
import { applyScript } from './apply-script';
import { DEFAULT_DIAG_URL_PATH, diagSnippet } from './diag-snippet';

export interface ProbeInstallRequest {
  /** The diagnostic WSGI script's content. */
  script: Buffer;
  /** Where to put it; relative paths are relative to the login's home. */
  remotePath: string;
  urlPath?: string;
  /** Install the snippet into Apache and reload it (needs root or passwordless sudo). */
  apply: boolean;
  /** The URL the probe will fetch (recorded as the host's diagnosticUrl override with apply). */
  diagnosticUrl?: string;
}

export interface ProbeInstallResult {
  host: string;
  /** Absolute path of the uploaded script on the host. */
  path: string;
  snippet: string;
  applied: boolean;
  diagnosticUrl?: string;
  /** What the apply step printed. */
  applyOutput?: string;
}

/**
 * `driftwatch probe install`: uploads the diagnostic WSGI script over SFTP and gives the Apache
 * snippet that mounts it. Nothing else on the host changes unless `apply` is asked for.
 */
@Injectable()
export class ProbeInstallService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: HostsService,
    private readonly transport: SshTransport,
    private readonly targets: HostTargetsService,
  ) {}

  private async targetOf(host: HostEntity) {
    const resolved = await this.targets.resolve(host);
    if (!resolved.ok) throw new DomainError(DomainErrorCode.HostUnavailable, `cannot connect to ${host.name}: ${resolved.error}`);
    return resolved.target;
  }

  async install(hostName: string, request: ProbeInstallRequest): Promise<ProbeInstallResult> {
    if (request.diagnosticUrl !== undefined) validateInput(OverridesInput, { diagnosticUrl: request.diagnosticUrl });
    const host = await this.hosts.get(hostName);
    const uploaded = await this.transport.upload(await this.targetOf(host), request.remotePath, request.script, 0o644, this.config.scan);
    await this.checkSession(host, uploaded, 'upload');
    const path = uploaded.stdout.toString('utf8');
    const urlPath = request.urlPath ?? DEFAULT_DIAG_URL_PATH;
    const snippet = diagSnippet(path, urlPath);
    const result: ProbeInstallResult = { host: host.name, path, snippet, applied: false };
    if (!request.apply) return result;

    const applied = await this.transport.exec(await this.targetOf(host), 'sh -s', applyScript(snippet), this.config.scan);
    await this.checkSession(host, applied, 'apply');
    const said = `${applied.stdout.toString('utf8')}${applied.stderr.toString('utf8')}`.trim();
    if (applied.exitCode !== 0) {
      throw new DomainError(DomainErrorCode.HostUnavailable, `the snippet was not installed on ${host.name} (exit ${applied.exitCode}): ${said}`);
    }
    const diagnosticUrl = request.diagnosticUrl ?? `http://127.0.0.1${urlPath}`;
    await this.hosts.update(host.name, { overrides: { ...host.overrides, diagnosticUrl } });
    return { ...result, applied: true, diagnosticUrl, applyOutput: said };
  }

  /** Same trust rules as a scan: pin on first use, refuse a mismatch, report any failure. */
  private async checkSession(host: HostEntity, result: ExecResult, step: string): Promise<void> {
    if (result.outcome !== 'ok') {
      throw new DomainError(DomainErrorCode.HostUnavailable, `${step} on ${host.name} failed: ${result.outcome}${result.error ? ` (${result.error})` : ''}`);
    }
    if (!host.hostKey && result.hostKey && (await this.hosts.pinHostKey(host, result.hostKey)) !== result.hostKey) {
      throw new DomainError(DomainErrorCode.HostUnavailable, `${step} on ${host.name} refused: another scan pinned a different host key first`);
    }
  }
}
