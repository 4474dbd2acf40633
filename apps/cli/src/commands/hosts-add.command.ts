import { CreateHostInput, HostsService, toHostView, validateInput } from '@driftwatch/scans';
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
  label?: string[];
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
      auth: options.agent ? { type: 'agent' } : { type: 'key', privateKeyPath: options.key },
      ...(options.hostKey ? { hostKey: options.hostKey } : {}),
      labels: options.label ?? [],
    });
    const host = toHostView(await this.hosts.create(input));
    new Printer(!!options.json).result(host, (h) => `added ${h.name} (${h.username}@${h.address}:${h.port})`);
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
