import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { Client, ClientChannel } from 'ssh2';
import { BoundedOutput } from './bounded-output';
import { dial } from './dial';
import { fingerprintOf } from './fingerprint';
import { decideHostKey } from './host-key-policy';
import { PreparedHop } from './hop';
import { classifySsh2Error, sanitize, Ssh2Error } from './ssh-errors';
import { ExecHooks, ExecLimits, ExecResult, NegotiatedAlgorithms, SessionJob, SshOutcome, SshTarget } from './ssh-target';

/** How long a finished session may take to close politely before its socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/**
 * One connection running one job: connect (through jump hosts when configured), verify the
 * host key under the host's policy, log in, then exec a command (collecting bounded output) or
 * write a file over SFTP, and settle exactly once. Every path out of here closes the connection
 * and everything opened on the way to it.
 */
export class ExecAttempt {
  private readonly client = new Client();
  private socket?: Duplex;
  private readonly cleanups: (() => void)[] = [];
  private readonly stdout: BoundedOutput;
  private readonly stderr: BoundedOutput;
  private presentedKey?: string;
  private negotiated?: NegotiatedAlgorithms;
  private jumpHostKey?: string;
  private hostKeyRejected?: string;
  private agentError?: string;
  private running = false;
  private exit: { code: number | null; signal?: string } | null = null;
  private timer?: NodeJS.Timeout;
  private settled = false;
  private resolve!: (result: ExecResult) => void;

  constructor(
    private readonly target: SshTarget,
    private readonly job: SessionJob,
    private readonly limits: ExecLimits,
    private readonly hooks: ExecHooks,
    private readonly hop: PreparedHop,
    private readonly startedAt: number,
  ) {
    this.stdout = new BoundedOutput(limits.maxOutputBytes);
    this.stderr = new BoundedOutput(limits.maxOutputBytes);
  }

  run(): Promise<ExecResult> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.arm(this.limits.connectTimeoutMs, `no SSH session with ${this.endpoint} within ${this.limits.connectTimeoutMs} ms`);
      this.client
        .on('handshake', (negotiated: { kex: string; serverHostKey: string; cs: { cipher: string } }) => {
          this.negotiated = { kex: negotiated.kex, hostKeyAlgorithm: negotiated.serverHostKey, cipher: negotiated.cs.cipher };
        })
        .on('ready', () => this.onReady())
        .on('error', (err: Ssh2Error) => this.onError(err))
        .on('close', () => this.onConnectionClosed());
      void this.connect();
    });
  }

  private async connect(): Promise<void> {
    // Our own socket (or forwarded channel), so that it can always be destroyed (ssh2's
    // destroy() is a no-op once ended).
    const dialed = await dial(this.hop, {
      onCleanup: (cleanup) => this.cleanups.push(cleanup),
      onJumpHostKey: (fingerprint) => (this.jumpHostKey = fingerprint),
    });
    if (this.settled) return;
    if (!dialed.ok) return this.finish(dialed.outcome, dialed.error);
    this.socket = dialed.sock;
    try {
      this.client.connect({
        sock: this.socket as never,
        host: this.target.address,
        port: this.target.port,
        username: this.target.username,
        ...this.hop.login,
        // The timer above covers connect, handshake and login; ssh2's own would race it.
        readyTimeout: 0,
        ...(this.hop.serverHostKey ? { algorithms: { serverHostKey: this.hop.serverHostKey as never } } : {}),
        hostVerifier: (key: Buffer) => this.verifyHostKey(key),
      });
    } catch (error) {
      this.finish('failed', `cannot start the SSH connection: ${sanitize(String((error as Error).message ?? error))}`);
    }
  }

  private get endpoint(): string {
    return `${this.target.address}:${this.target.port}`;
  }

  /** Decides under the host's policy; a rejected key stops the connection before login. */
  private verifyHostKey(key: Buffer): boolean {
    this.presentedKey = fingerprintOf(key);
    const decision = decideHostKey(this.hop.trust, this.target.address, this.target.port, key);
    if (!decision.accept) this.hostKeyRejected = decision.reason;
    return decision.accept;
  }

  private onReady(): void {
    if (this.settled) return;
    this.running = true;
    this.arm(this.limits.commandTimeoutMs, `the ${this.job.kind} did not finish within ${this.limits.commandTimeoutMs} ms`);
    try {
      if (this.job.kind === 'upload') return this.upload(this.job);
      const { command, stdin } = this.job;
      this.client.exec(command, (err, channel) => {
        if (err) return this.finish('failed', `${this.endpoint} refused to run the command: ${sanitize(err.message)}`);
        this.attach(channel, stdin);
      });
    } catch (error) {
      this.finish('failed', `cannot run the ${this.job.kind}: ${sanitize((error as Error).message)}`);
    }
  }

  /** Writes the file, then reports its absolute path (as the server resolves it) on stdout. */
  private upload(job: Extract<SessionJob, { kind: 'upload' }>): void {
    this.client.sftp((err, sftp) => {
      if (err) return this.finish('failed', `${this.endpoint} refused SFTP: ${sanitize(err.message)}`);
      sftp.writeFile(job.remotePath, job.content, { mode: job.mode }, (writeError) => {
        if (writeError) return this.finish('failed', `cannot write ${job.remotePath}: ${sanitize(writeError.message)}`);
        sftp.realpath(job.remotePath, (pathError, absolute) => {
          if (pathError) return this.finish('failed', `cannot resolve ${job.remotePath}: ${sanitize(pathError.message)}`);
          this.stdout.push(Buffer.from(absolute));
          this.exit = { code: 0 };
          this.finish('ok');
        });
      });
    });
  }

  private attach(channel: ClientChannel, stdin: string): void {
    channel.on('data', (chunk: Buffer) => {
      const kept = this.stdout.push(chunk);
      if (kept.length > 0 && this.hooks.onStdout) this.callHook(kept);
    });
    channel.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.exit = { code: typeof code === 'number' ? code : null, signal };
    });
    channel.on('close', () => this.onChannelClosed());
    channel.on('error', () => undefined); // the connection's error handler reports failures
    channel.end(stdin);
  }

  private callHook(chunk: Buffer): void {
    try {
      this.hooks.onStdout!(chunk);
    } catch (error) {
      this.finish('failed', `the stdout hook threw: ${sanitize(String((error as Error).message ?? error))}`);
    }
  }

  private onChannelClosed(): void {
    if (!this.exit) return this.finish('failed', 'the channel closed without an exit status');
    if (this.exit.signal) return this.finish('ok', `the command was killed by ${sanitize(this.exit.signal)}`);
    this.finish('ok');
  }

  private onError(err: Ssh2Error): void {
    if (err.level === 'agent') {
      // ssh2 goes on to the next method; remember why the agent could not be used.
      this.agentError = `ssh-agent could not be used: ${sanitize(err.message)}`;
      return;
    }
    if (this.hostKeyRejected) return this.reportMismatch();
    const { address, port, username } = this.target;
    const classified = classifySsh2Error(err, { address, port, username });
    if (classified.outcome === 'auth-failed' && this.agentError) return this.finish('failed', this.agentError);
    if (this.running && classified.outcome !== 'timeout') {
      return this.finish('failed', `the connection failed while the command ran: ${classified.error}`);
    }
    this.finish(classified.outcome, classified.error);
  }

  private reportMismatch(): void {
    this.finish('hostkey-mismatch', this.hostKeyRejected);
  }

  private onConnectionClosed(): void {
    if (this.hostKeyRejected) return this.reportMismatch();
    const when = this.running ? 'before the command finished' : 'before the session was ready';
    this.finish('failed', `the connection to ${this.endpoint} closed ${when}`);
  }

  private arm(ms: number, message: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.finish('timeout', message), ms);
  }

  private finish(outcome: SshOutcome, error?: string): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.close(outcome === 'ok');
    const result: ExecResult = {
      outcome,
      exitCode: this.exit?.code ?? null,
      stdout: this.stdout.toBuffer(),
      stderr: this.stderr.toBuffer(),
      stdoutTruncated: this.stdout.truncated,
      stderrTruncated: this.stderr.truncated,
      durationMs: Math.round(performance.now() - this.startedAt),
    };
    if (error !== undefined) result.error = error;
    if (this.presentedKey !== undefined) result.hostKey = this.presentedKey;
    if (this.jumpHostKey !== undefined) result.jumpHostKey = this.jumpHostKey;
    if (this.negotiated !== undefined) result.negotiated = this.negotiated;
    this.resolve(result);
  }

  /** A clean finish says goodbye first; anything else drops the socket (and jump hosts) at once. */
  private close(politely: boolean): void {
    const socket = this.socket;
    const tearDown = () => {
      socket?.destroy();
      for (const cleanup of this.cleanups.splice(0)) cleanup();
    };
    if (!socket || !politely) return tearDown();
    this.client.end();
    const force = setTimeout(tearDown, CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(force);
      tearDown();
    });
  }
}
