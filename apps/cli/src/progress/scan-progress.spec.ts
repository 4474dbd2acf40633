import { BarProgress, LineProgress, progressFor } from './scan-progress';
import { renderScanSummary } from './scan-summary';

class FakeStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 160,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const scan = (host: string, status: string, changed = false, durationMs = 10) => ({ host, status, changed, durationMs });

describe('scan progress', () => {
  it('draws a bar with running counts on a terminal', () => {
    const stream = new FakeStream(true);
    const sut = progressFor(stream);
    expect(sut).toBeInstanceOf(BarProgress);
    sut.start(3);
    sut.hostFinished(scan('web-1', 'ok', true));
    sut.hostFinished(scan('web-2', 'unreachable'));
    sut.hostFinished(scan('web-3', 'auth-failed'));
    sut.stop();
    // The last drawing is what the terminal shows at the end.
    const lines = stream.text.split(/\r|\n|\x1B\[[0-9;]*[A-Za-z]/).filter((l) => l.includes('hosts'));
    expect(lines[lines.length - 1]).toMatch(/^scanning \[=+\] 3\/3 hosts \| ok 1 \| changed 1 \| unreachable 1 \| failed 1 \|/);
    expect(lines[0]).toMatch(/0\/3 hosts \| ok 0/);
    expect(stream.text).not.toContain('web-1: ok');
  });

  it('writes one plain line per host finished elsewhere', () => {
    const stream = new FakeStream(false);
    const sut = progressFor(stream);
    expect(sut).toBeInstanceOf(LineProgress);
    sut.start(2);
    sut.hostFinished(scan('web-1', 'ok', true));
    sut.hostFinished(scan('web-2', 'timeout'));
    sut.stop();
    expect(stream.text).toBe('[1/2] web-1: ok (changed)\n[2/2] web-2: timeout\n');
  });

  it('stays silent when asked to', () => {
    const stream = new FakeStream(true);
    const sut = progressFor(stream, { quiet: true });
    sut.start(1);
    sut.hostFinished(scan('web-1', 'ok'));
    sut.stop();
    expect(stream.text).toBe('');
  });
});

describe(renderScanSummary.name, () => {
  it('counts outcomes (other failures as failed) and lists the slowest hosts first', () => {
    const text = renderScanSummary(
      [scan('a', 'ok', true, 30), scan('b', 'partial', false, 500), scan('c', 'unreachable', false, 10), scan('d', 'hostkey-mismatch', false, 70), scan('e', 'ok', false, 70)],
      3,
    );
    expect(text.split('\n')).toEqual([
      'OK  PARTIAL  CHANGED  UNREACHABLE  FAILED  TOTAL',
      '2   1        1        1            1       5',
      '',
      'SLOWEST  MS   STATUS',
      'b        500  partial',
      'd        70   hostkey-mismatch',
      'e        70   ok',
    ]);
  });
});
