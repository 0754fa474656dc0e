// A growable byte buffer of text lines, like upstream's LineBuffer: rules are written as bytes as
// they are generated, so 320k rules cost one buffer instead of 320k retained strings.
// upstream: pkg/proxy/util/linebuffer.go

/** Lines of text written into one growing Buffer. */
export class LineBuffer {
  private buf: Buffer
  private len = 0
  private lineCount = 0

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes)
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.len)
    this.buf = next
  }

  /** Writes the words joined by single spaces, then a newline (upstream LineBuffer.Write). */
  write(...words: string[]): void {
    let n = words.length
    for (const w of words) n += w.length * 3
    this.reserve(n)
    for (let i = 0; i < words.length; i++) {
      if (i > 0) this.buf[this.len++] = 0x20
      this.len += this.buf.write(words[i]!, this.len, 'utf8')
    }
    this.buf[this.len++] = 0x0a
    this.lineCount++
  }

  /** Writes one already formatted line (without its newline). */
  writeLine(line: string): void {
    this.write(line)
  }

  /** Number of lines written. */
  get lines(): number {
    return this.lineCount
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len)
  }

  /** The text written so far. */
  toString(): string {
    return this.buf.toString('utf8', 0, this.len)
  }

  /** The lines written so far, without newlines (for tests and small payloads). */
  toLines(): string[] {
    const s = this.toString()
    return s === '' ? [] : s.slice(0, -1).split('\n')
  }
}
