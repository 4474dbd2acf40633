import type { AuthenticationType, Connection } from 'ssh2';
import { AuthorizedKey } from './authorized-key';
import { LabCommand } from './lab-command';

export interface ConnectionPolicy {
  authorizedKey: AuthorizedKey;
  /** When set, password login with exactly this password is accepted too. */
  password?: string;
  /** Read at each exec, so a profile change shows on the next command. */
  hostDir(): string;
  /** Told about every command when it starts and when it ends. */
  started(command: LabCommand): void;
  ended(command: LabCommand): void;
}

/**
 * Serves one SSH connection the way a locked-down sshd would for driftwatch: public-key login
 * with the authorized key only, and `exec` sessions. Everything else (shell, pty, subsystems
 * such as sftp, env, forwarding, global requests) has no handler, which ssh2 answers with a
 * refusal.
 */
export function serveConnection(connection: Connection, policy: ConnectionPolicy): void {
  const commands = new Set<LabCommand>();
  let username = '';
  connection.on('error', () => undefined); // clients vanish; the socket close cleans up
  connection.on('authentication', (ctx) => {
    const methods: AuthenticationType[] = policy.password === undefined ? ['publickey'] : ['publickey', 'password'];
    const admitted =
      (ctx.method === 'publickey' && policy.authorizedKey.admits(ctx)) ||
      (ctx.method === 'password' && policy.password !== undefined && ctx.password === policy.password);
    if (!admitted) return ctx.reject(methods);
    username = ctx.username;
    ctx.accept();
  });
  connection.on('session', (acceptSession) => {
    const session = acceptSession();
    session.once('exec', (accept, _reject, info) => {
      const command = new LabCommand(accept(), info.command, { hostDir: policy.hostDir(), username }, (done) => {
        commands.delete(done);
        policy.ended(done);
      });
      commands.add(command);
      policy.started(command);
    });
  });
  connection.on('close', () => {
    for (const command of commands) command.kill();
  });
}
