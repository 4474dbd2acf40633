import { DEFAULT_DIAG_URL_PATH, ProbeInstallService } from '@driftwatch/scans';
import { Option, SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';
import { readDiagScript } from './diag-script';

interface InstallOptions extends OutputOptions {
  path?: string;
  urlPath?: string;
  url?: string;
  apply?: boolean;
}

@SubCommand({
  name: 'install',
  arguments: '<host>',
  description: 'upload the diagnostic WSGI script over SFTP and print the Apache snippet that mounts it (local requests only)',
})
export class ProbeInstallCommand extends OutputCommand {
  constructor(private readonly installer: ProbeInstallService) {
    super();
  }

  async run([host]: string[], options: InstallOptions): Promise<void> {
    const result = await this.installer.install(host, {
      script: readDiagScript(),
      remotePath: options.path ?? 'driftwatch_diag.py',
      urlPath: options.urlPath,
      apply: !!options.apply,
      diagnosticUrl: options.url,
    });
    new Printer(!!options.json).result(result, (r) =>
      r.applied
        ? `uploaded ${r.path}\n${r.applyOutput}\n${r.host} now reads ${r.diagnosticUrl}`
        : `uploaded ${r.path}\nAdd this to ${r.host}'s Apache configuration, reload Apache, then set the host's overrides.diagnosticUrl:\n\n${r.snippet}`,
    );
  }

  @Option({ flags: '--path <path>', description: 'where to put the script (default driftwatch_diag.py in the login home)' })
  parsePath(v: string) {
    return v;
  }

  @Option({ flags: '--url-path <path>', description: `URL path to mount it at (default ${DEFAULT_DIAG_URL_PATH})` })
  parseUrlPath(v: string) {
    if (!/^\/[A-Za-z0-9._~\/-]*$/.test(v)) throw new Error('--url-path must be a plain URL path');
    return v;
  }

  @Option({ flags: '--url <url>', description: 'the URL the probe fetches, with --apply (default http://127.0.0.1<url-path>)' })
  parseUrl(v: string) {
    return v;
  }

  @Option({ flags: '--apply', description: 'also install the snippet, check the configuration and reload Apache (root or sudo -n)' })
  parseApply() {
    return true;
  }
}
