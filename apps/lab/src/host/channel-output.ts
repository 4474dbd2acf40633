import type { Readable, Writable } from 'node:stream';
import type { ServerChannel } from 'ssh2';

/** The ssh2 1.17 server-channel internals the workaround below touches. */
interface PendingWrites {
  _chunk?: Buffer;
  _chunkcb?: unknown;
  _chunkErr?: Buffer;
  _chunkcbErr?: unknown;
}
type WriteFn = (chunk: Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void) => void;

const MAX_QUEUED_CHUNKS = 16;

/**
 * Writes a command's stdout and stderr to an ssh2 server channel, one chunk at a time.
 *
 * Why not `pipe()`: when a write has to wait for SSH window space, ssh2 1.17 resumes it on the
 * next window adjust by checking the stdout chunk it remembers first, and it never forgets that
 * chunk. So a stderr write that waits while (or after) stdout waited is either stalled for good
 * or answered by re-sending old stdout. Writing one chunk at a time means at most one write
 * waits, and forgetting each chunk once written keeps the resume pointed at the right stream.
 */
export class ChannelOutput {
  private readonly queue: { to: Writable; chunk: Buffer }[] = [];
  private readonly sources: Readable[] = [];
  private writing = false;
  private whenIdle: (() => void)[] = [];

  constructor(private readonly channel: ServerChannel) {
    forgetChunksOnceWritten(channel);
  }

  forward(source: Readable, stream: 'stdout' | 'stderr'): void {
    const to: Writable = stream === 'stdout' ? this.channel : this.channel.stderr;
    this.sources.push(source);
    source.on('data', (chunk: Buffer) => {
      this.queue.push({ to, chunk });
      if (this.queue.length >= MAX_QUEUED_CHUNKS) source.pause();
      this.pump();
    });
  }

  /** Calls back once everything received so far has been written to the channel. */
  flushed(callback: () => void): void {
    if (!this.writing && this.queue.length === 0) callback();
    else this.whenIdle.push(callback);
  }

  private pump(): void {
    if (this.writing) return;
    const next = this.queue.shift();
    if (!next) {
      for (const source of this.sources) source.resume();
      const callbacks = this.whenIdle;
      this.whenIdle = [];
      for (const callback of callbacks) callback();
      return;
    }
    this.writing = true;
    next.to.write(next.chunk, () => {
      this.writing = false;
      this.pump();
    });
  }
}

function forgetChunksOnceWritten(channel: ServerChannel): void {
  const pending = channel as unknown as PendingWrites;
  const patch = (stream: Writable, forget: () => void) => {
    const target = stream as unknown as { _write: WriteFn };
    const original = target._write.bind(stream);
    target._write = (chunk, encoding, done) =>
      original(chunk, encoding, (error) => {
        forget();
        done(error);
      });
  };
  patch(channel, () => {
    pending._chunk = undefined;
    pending._chunkcb = undefined;
  });
  patch(channel.stderr, () => {
    pending._chunkErr = undefined;
    pending._chunkcbErr = undefined;
  });
}
