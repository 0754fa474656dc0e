// Text lines collected for one restore payload, like upstream's LineBuffer. Lines are flattened
// into large chunks every few hundred lines: 320k rules then cost a few hundred retained strings
// instead of 320k (retained small objects are what made generation GC-bound).
// upstream: pkg/proxy/util/linebuffer.go

const CHUNK_LINES = 512

/** Lines of text, joined into chunks as they come. */
export class LineBuffer {
  private pending: string[] = []
  private chunks: string[] = []
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
    this.pending.push(line)
    this.lineCount++
    if (this.pending.length >= CHUNK_LINES) this.flush()
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.chunks.push(`${this.pending.join('\n')}\n`)
    this.pending = []
  }

  /** Number of lines written. */
  get lines(): number {
    return this.lineCount
  }

  /** The text written so far, each line ending in a newline. */
  toString(): string {
    this.flush()
    return this.chunks.join('')
  }

  /** The lines written so far, without newlines (for tests and small payloads). */
  toLines(): string[] {
    const s = this.toString()
    return s === '' ? [] : s.slice(0, -1).split('\n')
  }
}
