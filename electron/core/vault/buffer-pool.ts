/**
 * A few chunk-sized buffers kept for reuse. Ingesting hundreds of screenshots otherwise allocates four fresh
 * buffers per file (read, fill, spare, sealed); measured here, the garbage collector then took a fifth of the
 * ingest time. The pool keeps at most `keep` buffers, so its memory is bounded whatever the concurrency.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.size);
  }

  /** Only give back a buffer nothing reads or writes any more. */
  give(buffer: Buffer | null | undefined): void {
    if (buffer && buffer.byteOffset === 0 && buffer.length === this.size && this.free.length < this.keep && !this.free.includes(buffer)) {
      this.free.push(buffer);
    }
  }
}
