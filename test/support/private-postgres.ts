import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('PostgreSQL server binaries are missing (apt-get install postgresql)');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

/**
 * A PostgreSQL cluster of a test's own (initdb in a temporary directory, trust auth, loopback
 * only), so a test can stop and start a database without touching the machine's shared one.
 * Runs the server as the `postgres` user, which the server insists on.
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static create(port: number): PrivatePostgres {
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-pg-'));
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
    const cluster = new PrivatePostgres(dir, port);
    cluster.asPostgres('initdb', ['-D', cluster.dataDir, '--auth=trust', '--username=postgres', '--no-sync']);
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  start(): void {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off`;
    this.asPostgres('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'server.log'), '-w', 'start']);
  }

  stop(): void {
    this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  remove(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private asPostgres(tool: string, args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', join(binDir(), tool), ...args], { stdio: 'pipe', cwd: '/' });
  }
}
