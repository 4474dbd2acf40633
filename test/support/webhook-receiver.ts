import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  answered: number;
}

/**
 * A webhook endpoint on 127.0.0.1 that records every request and answers the statuses it is
 * told, in order (then 200).
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private answers: { status: number; headers: Record<string, string> }[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const { status: answered, headers } = receiver.answers.shift() ?? { status: 200, headers: {} };
          receiver.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
          res.writeHead(answered, { 'content-type': 'text/plain', ...headers }).end(answered < 300 ? 'thanks' : 'not now');
          for (const wake of receiver.waiters.splice(0)) wake();
        });
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The next requests get these statuses. */
  answer(...statuses: number[]): void {
    this.answers.push(...statuses.map((status) => ({ status, headers: {} })));
  }

  /** The next request is answered `status` with a Location header pointing at `location`. */
  redirect(status: number, location: string): void {
    this.answers.push({ status, headers: { location } });
  }

  /** Resolves once `count` requests in all have arrived. */
  async received(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.requests.slice(0, count);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
