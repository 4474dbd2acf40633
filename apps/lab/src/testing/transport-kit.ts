import { ExecLimits, SshTarget } from '@driftwatch/ssh';
import { createServer, Server, Socket } from 'node:net';
import { ClientKey } from '../keys/client-key';
import { LabHost } from '../host/lab-host';

/** Helpers for specs that drive SshTransport against lab hosts. */

export const LIMITS: ExecLimits = { connectTimeoutMs: 5_000, commandTimeoutMs: 10_000, maxOutputBytes: 1 << 20 };

export function targetFor(host: LabHost, key: ClientKey, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    address: host.address,
    port: host.port,
    username: 'probe',
    auth: { type: 'key', privateKeyPath: key.path },
    hostKey: host.hostKeyFingerprint,
    ...overrides,
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says a word. */
export async function silentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until the condition holds (polling), or fails after `ms`. */
export async function eventually(condition: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
