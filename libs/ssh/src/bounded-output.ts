/**
 * Collects one output stream up to a byte limit. Past the limit, data is dropped and the
 * stream is marked truncated, so memory stays bounded whatever the host prints.
 */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`output limit must be a non-negative integer, got ${limit}`);
  }

  /** Keeps what still fits and returns that part (empty once the limit is reached). */
  push(chunk: Buffer): Buffer {
    const room = this.limit - this.size;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, Math.max(0, room));
    if (kept.length < chunk.length) this.cut = true;
    if (kept.length > 0) {
      // Copy a slice so the kept bytes do not pin a larger buffer in memory.
      this.chunks.push(kept.length === chunk.length ? chunk : Buffer.from(kept));
      this.size += kept.length;
    }
    return kept;
  }

  get truncated(): boolean {
    return this.cut;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
