import { connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { fingerprintOf } from './fingerprint';
import { decideHostKey } from './host-key-policy';
import { PreparedHop } from './hop';
import { classifySsh2Error, sanitize, Ssh2Error } from './ssh-errors';
import { SshOutcome } from './ssh-target';

export type Dialed = { ok: true; sock: Duplex } | { ok: false; outcome: SshOutcome; error: string };

export interface DialContext {
  /** Everything opened on the way is registered here, so the caller can tear it all down. */
  onCleanup(cleanup: () => void): void;
  /** The key the target's own jump host presented (for trust on first use of the jump host). */
  onJumpHostKey(fingerprint: string): void;
}

/**
 * A byte stream to the hop's SSH port: a TCP socket, or a channel forwarded (`direct-tcpip`)
 * through its jump host, itself reached the same way. Each jump host's key is checked under its
 * own policy before it is asked to forward anything.
 */
export async function dial(hop: PreparedHop, ctx: DialContext, isTarget = true): Promise<Dialed> {
  if (!hop.via) {
    const socket = tcpConnect({ host: hop.target.address, port: hop.target.port });
    ctx.onCleanup(() => socket.destroy());
    return { ok: true, sock: socket };
  }
  const jump = hop.via;
  const under = await dial(jump, ctx, false);
  if (!under.ok) return under;
  const name = `jump host ${jump.jumpName}`;
  const to = `${hop.target.address}:${hop.target.port}`;
  return new Promise((resolve) => {
    const client = new Client();
    let rejected: string | undefined;
    let settled = false;
    const settle = (result: Dialed) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    ctx.onCleanup(() => {
      client.end();
      under.sock.destroy();
    });
    client.on('error', (err: Ssh2Error) => {
      if (rejected) return settle({ ok: false, outcome: 'hostkey-mismatch', error: `${name}: ${rejected}` });
      if (err.level === 'agent') return;
      const classified = classifySsh2Error(err, jump.target);
      settle({ ok: false, outcome: classified.outcome, error: `${name}: ${classified.error}` });
    });
    client.on('close', () => {
      if (rejected) return settle({ ok: false, outcome: 'hostkey-mismatch', error: `${name}: ${rejected}` });
      settle({ ok: false, outcome: 'unreachable', error: `${name} closed the connection before forwarding to ${to}` });
    });
    client.on('ready', () => {
      client.forwardOut('127.0.0.1', 0, hop.target.address, hop.target.port, (err, stream) => {
        if (err) return settle({ ok: false, outcome: 'unreachable', error: `${name} could not open a connection to ${to}: ${sanitize(err.message)}` });
        settle({ ok: true, sock: stream });
      });
    });
    try {
      client.connect({
        sock: under.sock as never,
        host: jump.target.address,
        port: jump.target.port,
        username: jump.target.username,
        ...jump.login,
        readyTimeout: 0,
        ...(jump.serverHostKey ? { algorithms: { serverHostKey: jump.serverHostKey as never } } : {}),
        hostVerifier: (key: Buffer) => {
          if (isTarget) ctx.onJumpHostKey(fingerprintOf(key));
          const decision = decideHostKey(jump.trust, jump.target.address, jump.target.port, key);
          if (!decision.accept) rejected = decision.reason;
          return decision.accept;
        },
      });
    } catch (error) {
      settle({ ok: false, outcome: 'failed', error: `${name}: cannot start the SSH connection: ${sanitize(String((error as Error).message ?? error))}` });
    }
  });
}
