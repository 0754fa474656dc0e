import { writeSync } from 'node:fs'
import { open, readdir, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'

/** Log segments are `wal-<first revision, 20 digits>.log`, so names sort in revision order. */
export function segmentName(firstRev: number): string {
  return `wal-${String(firstRev).padStart(20, '0')}.log`
}

/** The first revision of a segment file name, or undefined when name is not a segment. */
export function parseSegmentName(name: string): number | undefined {
  const m = /^wal-(\d{20})\.log$/.exec(name)
  return m ? Number(m[1]) : undefined
}

/** The log segments in dir, oldest first. */
export async function listSegments(dir: string): Promise<{ name: string; firstRev: number }[]> {
  const out: { name: string; firstRev: number }[] = []
  for (const name of await readdir(dir)) {
    const firstRev = parseSegmentName(name)
    if (firstRev !== undefined) out.push({ name, firstRev })
  }
  return out.sort((a, b) => a.firstRev - b.firstRev)
}

/** Makes a directory entry change (create, rename, unlink) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

/** Options of the write-ahead log. */
export interface WalOptions {
  /** fdatasync after each batch (default true). */
  fsync?: boolean
}

/**
 * The append side of the write-ahead log: one open segment; each append writes a batch of framed
 * records with one write and one fdatasync. Callers serialise appends (the store's flush loop).
 */
export class Wal {
  /** Batches appended and fdatasync calls made since open. */
  batches = 0
  fsyncs = 0

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private readonly fsync: boolean,
  ) {}

  /** Opens (creating if needed) segment `name` in dir for appending. */
  static async open(dir: string, name: string, opts: WalOptions = {}): Promise<Wal> {
    const fh = await open(join(dir, name), 'a')
    const wal = new Wal(dir, fh, opts.fsync ?? true)
    // A new segment's directory entry must be durable before records in it are acknowledged.
    if (wal.fsync) await fsyncDir(dir)
    return wal
  }

  /** Appends the records and, unless fsync is off, waits until they are on disk. */
  async append(records: Buffer[]): Promise<void> {
    this.write(records)
    await this.sync()
  }

  /**
   * Writes the records at the end of the segment (one batch) without waiting for the disk; callers
   * serialise writes, and call sync() before acknowledging them. The write is synchronous: it only
   * copies into the page cache (microseconds), while a thread-pool round trip would cost the batch
   * a scheduling delay on a busy machine.
   */
  write(records: Buffer[]): void {
    const buf = records.length === 1 ? records[0]! : Buffer.concat(records)
    let off = 0
    // 'a' mode writes at the end; a short write (disk nearly full, signals) continues where it stopped.
    while (off < buf.length) {
      const bytesWritten = writeSync(this.fh.fd, buf, off, buf.length - off)
      if (bytesWritten <= 0) throw new Error(`write to log segment returned ${bytesWritten}`)
      off += bytesWritten
    }
    this.batches++
  }

  /**
   * Waits until everything written before the call is on disk (fdatasync; a no-op with fsync off).
   * Several syncs may be in flight at once: the kernel then commits them together.
   */
  async sync(): Promise<void> {
    if (!this.fsync) return
    await this.fh.datasync()
    this.fsyncs++
  }

  /** Starts a new segment whose first record will be firstRev; later appends go there. */
  async rotate(firstRev: number): Promise<void> {
    // Open the new segment before closing the old one, so a failure leaves the log appendable.
    const next = await open(join(this.dir, segmentName(firstRev)), 'a')
    if (this.fsync) await fsyncDir(this.dir)
    const old = this.fh
    this.fh = next
    await old.close()
  }

  /** Closes the open segment. */
  async close(): Promise<void> {
    await this.fh.close()
  }
}
