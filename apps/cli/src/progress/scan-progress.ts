import { SingleBar } from 'cli-progress';
import { ScanResultLine, totalsOf } from './scan-summary';

/** Where progress goes: a terminal gets a bar, anything else one line per host. */
export interface ProgressStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ScanProgress {
  start(total: number): void;
  hostFinished(scan: ScanResultLine): void;
  stop(): void;
}

/** One line per host finished, for logs and pipes: `[3/10] web-1: ok (changed)`. */
export class LineProgress implements ScanProgress {
  private total = 0;
  private done = 0;

  constructor(private readonly stream: ProgressStream) {}

  start(total: number): void {
    this.total = total;
  }

  hostFinished(scan: ScanResultLine): void {
    this.done += 1;
    this.stream.write(`[${this.done}/${this.total}] ${scan.host}: ${scan.status}${scan.changed ? ' (changed)' : ''}\n`);
  }

  stop(): void {}
}

/** A redrawn progress bar with running counts, for terminals. */
export class BarProgress implements ScanProgress {
  private readonly finished: ScanResultLine[] = [];
  private readonly bar: SingleBar;
  private started = false;

  constructor(stream: ProgressStream) {
    this.bar = new SingleBar({
      stream: stream as NodeJS.WritableStream,
      format: 'scanning [{bar}] {value}/{total} hosts | ok {ok} | changed {changed} | unreachable {unreachable} | failed {failed} | {eta_formatted}',
      barsize: 24,
      hideCursor: false,
      clearOnComplete: false,
      etaBuffer: 50,
    });
  }

  start(total: number): void {
    if (total === 0) return;
    this.started = true;
    this.bar.start(total, 0, this.counts());
  }

  hostFinished(scan: ScanResultLine): void {
    this.finished.push(scan);
    this.bar.update(this.finished.length, this.counts());
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }

  private counts() {
    const t = totalsOf(this.finished);
    return { ok: t.ok + t.partial, changed: t.changed, unreachable: t.unreachable, failed: t.failed };
  }
}

export class SilentProgress implements ScanProgress {
  start(): void {}
  hostFinished(): void {}
  stop(): void {}
}

export function progressFor(stream: ProgressStream, options: { quiet?: boolean } = {}): ScanProgress {
  if (options.quiet) return new SilentProgress();
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}
