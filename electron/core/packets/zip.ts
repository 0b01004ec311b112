import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { RedressError } from '../errors.js';
import { deferred } from '../async/deferred.js';
import yazl from '../zip/yazl.js';

export interface ZipEntry {
  /** file on disk */
  source: string;
  /** name inside the ZIP (forward slashes) */
  name: string;
}

/** The contents of an entry added before they existed. */
export interface LaterEntry {
  file(path: string): void;
  /** resolves once the ZIP has taken the bytes, so that the caller never holds many in memory at once */
  bytes(data: Buffer): Promise<void>;
}

/** Bytes of one entry handed over as they are produced. */
export interface ZipSink {
  /** resolves once the ZIP can take more (the producer never runs far ahead of the disk); call one at a time */
  write(chunks: Buffer[]): Promise<void>;
  end(): void;
}

// Already-compressed formats are stored: deflating them costs time and gains nothing.
const STORED = /\.(jpe?g|png|gif|webp|heic|heif|avif|mp4|mov|m4a|mp3|aac|ogg|opus|zip|gz|pdf|docx|xlsx)$/i;
// yazl's own addFile reads in 64 KiB chunks; each chunk passes five streams, so bigger reads mean far fewer hops.
const READ_CHUNK = 1 << 20;
const SINK_BUFFER = 4 << 20;

/**
 * A ZIP (UTF-8 names) written while its files are still being made: entries are added up front, each waiting for
 * its file, so the archive is written alongside the work instead of re-reading everything at the end. Written to
 * `<path>.partial`; `commit()` renames it into place, `abort()` removes it.
 */
export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly partial: string;
  private readonly written: Promise<void>;
  private readonly failed: Promise<never>;
  private readonly stop = new AbortController();
  private readonly sources = new Set<Readable>();

  constructor(
    readonly path: string,
    private readonly mtime: Date,
    private readonly signal?: AbortSignal,
  ) {
    this.partial = `${path}.partial`;
    const out = this.zip.outputStream as Readable;
    // yazl does not listen for errors on the streams it is given: a source that fails ends the output with its error.
    this.zip.on('error', (err: Error) => out.destroy(err));
    // after a stop, entries still in flight may write into the ended output: that is not a second failure
    out.on('error', () => undefined);
    const stopped = signal ? AbortSignal.any([signal, this.stop.signal]) : this.stop.signal;
    this.written = pipeline(out, createWriteStream(this.partial), { signal: stopped });
    this.written.catch(() => undefined); // observed by finish() or abort()
    // what a producer waiting for the ZIP races against, so that it is released when the ZIP stops early
    this.failed = this.written.then(() => {
      throw new Error('the ZIP was closed before all its entries were written');
    });
    this.failed.catch(() => undefined);
  }

  /** An entry read from a file already on disk. */
  addFile(name: string, source: string): void {
    this.addLater(name).file(source);
  }

  /**
   * An entry whose contents are given later, as a file or as bytes in memory. Entries are still written in the
   * order they were added, so an entry waits for those before it.
   */
  addLater(name: string): LaterEntry {
    const source = deferred<() => Readable>();
    this.zip.addReadStreamLazy(name, this.options(name), (cb) => {
      void source.promise.then((open) => {
        if (this.stop.signal.aborted) return;
        const stream = open();
        this.sources.add(stream);
        stream.on('close', () => this.sources.delete(stream));
        stream.on('error', (err) => this.zip.emit('error', err));
        cb(null, stream);
      });
    });
    return {
      file: (path) => source.resolve(() => createReadStream(path, { highWaterMark: READ_CHUNK })),
      bytes: async (data) => {
        // a PassThrough lets go of the bytes once they are read (Readable.from kept its array to the end of the build)
        const stream = new PassThrough();
        stream.end(data);
        source.resolve(() => stream);
        await Promise.race([finished(stream), this.failed]);
      },
    };
  }

  /** An entry whose bytes are handed over while they are produced (e.g. the PDF while it is written). */
  addStream(name: string): ZipSink {
    const pass = new PassThrough({ highWaterMark: SINK_BUFFER });
    this.sources.add(pass);
    this.zip.addReadStreamLazy(name, this.options(name), (cb) => cb(null, pass));
    return {
      write: async (chunks) => {
        let room = true;
        for (const chunk of chunks) room = pass.write(chunk);
        if (!room) await Promise.race([once(pass, 'drain'), this.failed]);
      },
      end: () => pass.end(),
    };
  }

  addBuffer(name: string, data: Buffer | string): void {
    this.zip.addBuffer(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, name, this.options(name));
  }

  /** Writes the central directory and waits for the last byte to reach the partial file. */
  async finish(): Promise<void> {
    this.zip.end();
    try {
      await this.written;
    } catch (err) {
      await this.abort();
      if (this.signal?.aborted) throw new RedressError('CANCELLED');
      throw err;
    }
  }

  async commit(): Promise<void> {
    await rename(this.partial, this.path);
  }

  /** Stops writing at once, releasing every producer that waits for the ZIP; abort() then cleans up. */
  stopNow(): void {
    this.stop.abort();
    for (const s of this.sources) s.destroy();
  }

  /** Stops writing and removes the partial file. */
  async abort(): Promise<void> {
    this.stopNow();
    await this.written.catch(() => undefined);
    await rm(this.partial, { force: true });
  }

  private options(name: string) {
    return { compress: !STORED.test(name), mtime: this.mtime, mode: 0o100644 };
  }
}

/** Writes a ZIP of files already on disk and renames it into place when complete. */
export async function writeZip(entries: ZipEntry[], path: string, mtime: Date, signal?: AbortSignal): Promise<void> {
  const zip = new ZipWriter(path, mtime, signal);
  for (const e of entries) zip.addFile(e.name, e.source);
  await zip.finish();
  await zip.commit();
}
