import { connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay in front of one SSH host that holds the first connection (bytes go nowhere) until
 * its client goes away, and relays every later one: a host that hangs exactly when a worker
 * is scanning it.
 */
export class HoldingProxy {
  private readonly sockets = new Set<Socket>();
  private connections = 0;
  heldOpen = false;

  private constructor(private readonly server: Server) {}

  static async start(target: { address: string; port: number }): Promise<HoldingProxy> {
    const server = createServer();
    const proxy = new HoldingProxy(server);
    server.on('connection', (client) => proxy.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  private accept(client: Socket, target: { address: string; port: number }): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (++this.connections === 1) {
      this.heldOpen = true;
      client.on('close', () => (this.heldOpen = false));
      return;
    }
    const upstream = connect(target.port, target.address);
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
