/** What the progress of a run is made of: one finished scan of one host. */
export interface FinishedScan {
  hostId: number;
  host: string;
  status: string;
  changed: boolean;
  durationMs: number;
  error?: string;
}

export interface RunCounts {
  total: number;
  done: number;
  pending: number;
  counts: Record<string, number>;
  changed: number;
}

/**
 * Running counts of one scan run. Each host counts once, so scans already read from the
 * database and the same scans arriving again on the event bus are not counted twice.
 */
export class RunTally {
  private readonly seen = new Set<number>();
  private readonly byStatus: Record<string, number> = {};
  private changedCount = 0;

  constructor(private readonly total: number) {}

  /** Returns false when this host was already counted. */
  add(scan: FinishedScan): boolean {
    if (this.seen.has(scan.hostId)) return false;
    this.seen.add(scan.hostId);
    this.byStatus[scan.status] = (this.byStatus[scan.status] ?? 0) + 1;
    if (scan.changed) this.changedCount += 1;
    return true;
  }

  get complete(): boolean {
    return this.seen.size >= this.total;
  }

  counts(): RunCounts {
    const done = this.seen.size;
    return { total: this.total, done, pending: Math.max(0, this.total - done), counts: { ...this.byStatus }, changed: this.changedCount };
  }
}
