// Text lines collected for one restore payload, like upstream's LineBuffer: written straight into
// byte chunks outside the JS heap. At 320k rules, retaining the line strings (or joining them into
// ever larger strings) made generation GC-bound; bytes are also what iptables-restore reads.
// upstream: pkg/proxy/util/linebuffer.go

const CHUNK_BYTES = 1 << 20

/** Lines of text, encoded as they come. */
export class LineBuffer {
  private readonly chunks: Buffer[] = []
  private chunk: Buffer = Buffer.allocUnsafe(0)
  private used = 0
  private lineCount = 0

  /** Writes the words (strings or lists of strings) joined by single spaces as one line (upstream LineBuffer.Write). */
  write(...parts: (string | readonly string[])[]): void {
    let line = ''
    for (const part of parts) {
      const text = typeof part === 'string' ? part : part.join(' ')
      if (text === '') continue
      line = line === '' ? text : `${line} ${text}`
    }
    this.writeLine(line)
  }

  /** Writes one already formatted line (without its newline). */
  writeLine(line: string): void {
    // Rule text is ASCII (names are DNS labels, addresses and numbers): latin1 copies it byte for
    // byte, several times faster than transcoding to UTF-8. Anything else is refused, not mangled.
    const worst = line.length + 1
    if (this.used + worst > this.chunk.length) this.grow(worst)
    this.used += this.chunk.write(line, this.used, 'latin1')
    this.chunk[this.used++] = 10
    this.lineCount++
  }

  /**
   * Appends part of a line, copied char by char: the hot rules are written as their existing
   * pieces (chain names, addresses, constants), so no line string is built, flattened or collected.
   * Characters above 0xff are refused (rule text is ASCII).
   */
  put(text: string): void {
    const n = text.length
    if (this.used + n + 1 > this.chunk.length) this.grow(n + 1)
    const c = this.chunk
    let u = this.used
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i)
      if (code > 0xff) throw new RangeError(`rule text must be ASCII: ${JSON.stringify(text)}`)
      c[u++] = code
    }
    this.used = u
  }

  /** Ends the line begun with put(). */
  endLine(): void {
    if (this.used + 1 > this.chunk.length) this.grow(1)
    this.chunk[this.used++] = 10
    this.lineCount++
  }

  private grow(atLeast: number): void {
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used))
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, atLeast))
    this.used = 0
  }

  /** Number of lines written. */
  get lines(): number {
    return this.lineCount
  }

  /** The bytes written so far, each line ending in a newline (views, not copies). */
  toBuffers(): Buffer[] {
    return this.used > 0 ? [...this.chunks, this.chunk.subarray(0, this.used)] : [...this.chunks]
  }

  /** Number of bytes written. */
  get byteLength(): number {
    let n = this.used
    for (const c of this.chunks) n += c.length
    return n
  }

  /** The text written so far, each line ending in a newline. */
  toString(): string {
    return Buffer.concat(this.toBuffers()).toString('latin1')
  }

  /** The lines written so far, without newlines (for tests and small payloads). */
  toLines(): string[] {
    const s = this.toString()
    return s === '' ? [] : s.slice(0, -1).split('\n')
  }
}
