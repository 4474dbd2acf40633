import { CreateHostInput, DomainError, DomainErrorCode, HostsService, toHostView, validateInput } from '@driftwatch/scans';
import { Option, SubCommand } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions, collect } from './common-options';

interface AddOptions extends OutputOptions {
  address: string;
  port?: string;
  user: string;
  key?: string;
  agent?: boolean;
  hostKey?: string;
  hostKeyPolicy?: string;
  knownHosts?: string;
  jumpHost?: string;
  sudo?: boolean;
  passwordEnv?: string;
  passphraseEnv?: string;
  label?: string[];
}

/** Secrets come from a named environment variable, never from the command line (shell history, ps). */
function secretFromEnv(variable: string | undefined, what: string): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (!value) throw new DomainError(DomainErrorCode.InvalidInput, `${what}: environment variable ${variable} is not set`);
  return value;
}

@SubCommand({ name: 'add', arguments: '<name>', description: 'register a host (nothing runs on it until a scan)' })
export class HostsAddCommand extends OutputCommand {
  constructor(private readonly hosts: HostsService) {
    super();
  }

  async run([name]: string[], options: AddOptions): Promise<void> {
    const input = validateInput(CreateHostInput, {
      name,
      address: options.address,
      port: options.port === undefined ? 22 : Number(options.port),
      username: options.user,
      auth: this.auth(options),
      ...(options.hostKey ? { hostKey: options.hostKey } : {}),
      ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
      ...(options.knownHosts ? { knownHostsFile: options.knownHosts } : {}),
      ...(options.jumpHost ? { jumpHost: options.jumpHost } : {}),
      ...(options.sudo ? { sudo: true } : {}),
      labels: options.label ?? [],
    });
    const host = toHostView(await this.hosts.create(input));
    new Printer(!!options.json).result(host, (h) => `added ${h.name} (${h.username}@${h.address}:${h.port})`);
  }

  private auth(options: AddOptions): Record<string, unknown> {
    const password = secretFromEnv(options.passwordEnv, '--password-env');
    if (password !== undefined) return { type: 'password', password };
    if (options.agent) return { type: 'agent' };
    const passphrase = secretFromEnv(options.passphraseEnv, '--passphrase-env');
    return { type: 'key', privateKeyPath: options.key, ...(passphrase !== undefined ? { passphrase } : {}) };
  }

  @Option({ flags: '--host-key-policy <policy>', description: 'pinned | known-hosts | accept-new (default: HOST_KEY_POLICY)' })
  parseHostKeyPolicy(v: string) {
    return v;
  }

  @Option({ flags: '--known-hosts <path>', description: 'known_hosts file for the known-hosts policy (default: KNOWN_HOSTS_FILE)' })
  parseKnownHosts(v: string) {
    return v;
  }

  @Option({ flags: '--jump-host <name>', description: 'reach the host through this registered host' })
  parseJumpHost(v: string) {
    return v;
  }

  @Option({ flags: '--sudo', description: 'run the probe as `sudo -n sh -s` (needs a NOPASSWD rule)' })
  parseSudo() {
    return true;
  }

  @Option({ flags: '--password-env <variable>', description: 'password login, the password read from this environment variable (needs ALLOW_PASSWORD_AUTH)' })
  parsePasswordEnv(v: string) {
    return v;
  }

  @Option({ flags: '--passphrase-env <variable>', description: 'passphrase of the --key file, read from this environment variable' })
  parsePassphraseEnv(v: string) {
    return v;
  }

  @Option({ flags: '--address <address>', description: 'host name or IP address', required: true })
  parseAddress(v: string) {
    return v;
  }

  @Option({ flags: '--port <port>', description: 'SSH port (default 22)' })
  parsePort(v: string) {
    return v;
  }

  @Option({ flags: '--user <user>', description: 'login name', required: true })
  parseUser(v: string) {
    return v;
  }

  @Option({ flags: '--key <path>', description: 'private key file, read at scan time' })
  parseKey(v: string) {
    return v;
  }

  @Option({ flags: '--agent', description: 'authenticate through ssh-agent (SSH_AUTH_SOCK)' })
  parseAgent() {
    return true;
  }

  @Option({ flags: '--host-key <fingerprint>', description: 'pin the host key (SHA256:…); else the first scan pins it' })
  parseHostKey(v: string) {
    return v;
  }

  @Option({ flags: '--label <label>', description: 'label (repeatable)' })
  parseLabel(v: string, previous?: string[]) {
    return collect(v, previous);
  }
}
