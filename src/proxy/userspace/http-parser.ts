// A strict, lean HTTP/1.1 head parser and body framer for the L7 path. It only finds where each
// message starts and ends (the bytes are forwarded unchanged), and it refuses anything two parsers
// could read differently, as HAProxy does, so no request can be smuggled past the proxy.
// upstream: RFC 9112 §6.3 (message body length), §7.1 (chunked), §5.2 (obs-fold)

/** Largest head (request line + headers) accepted; bigger → 400 (HAProxy's tune.bufsize is 16 KiB). */
export const MAX_HEAD_BYTES = 16384

/** How a message body is delimited. */
export type BodyKind = 'none' | 'length' | 'chunked' | 'close'

/** A parsed request or response head. */
export interface MessageHead {
  /** Bytes of the head including the blank line. */
  headLength: number
  /** Request method (requests) — upper case as sent. */
  method: string
  /** Response status code (responses), 0 for requests. */
  status: number
  /** `HTTP/1.1` → 1, `HTTP/1.0` → 0. */
  minorVersion: number
  body: BodyKind
  /** For `length`: the Content-Length. */
  contentLength: number
  /** The connection stays open after this message (HTTP/1.1 without `close`, or 1.0 with keep-alive). */
  keepAlive: boolean
  /** An `Upgrade` request/101 answer: the connection becomes a tunnel. */
  upgrade: boolean
  /** The `Expect: 100-continue` request header. */
  expectContinue: boolean
}

/** Why a message was refused (the proxy answers 400 with this text). */
export class HttpParseError extends Error {
  override name = 'HttpParseError'
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const METHOD = TOKEN
const CRLFCRLF = Buffer.from('\r\n\r\n')

/**
 * Parses the head at `buf[start..]`; undefined when incomplete. Throws HttpParseError for an
 * oversized head, a malformed line, obs-fold, bare LF line ends, Content-Length with
 * Transfer-Encoding, conflicting Content-Lengths, or a Transfer-Encoding other than `chunked`.
 */
export function parseHead(buf: Buffer, start: number, isRequest: boolean, requestMethod = 'GET'): MessageHead | undefined {
  const end = buf.indexOf(CRLFCRLF, start)
  if (end < 0) {
    if (buf.length - start > MAX_HEAD_BYTES) throw new HttpParseError('request header fields too large')
    return undefined
  }
  const headLength = end + 4 - start
  if (headLength > MAX_HEAD_BYTES) throw new HttpParseError('request header fields too large')
  const text = buf.toString('latin1', start, end)
  const lines = text.split('\r\n')
  const first = lines[0]!
  let method = ''
  let status = 0
  let minorVersion: number
  if (isRequest) {
    const sp1 = first.indexOf(' ')
    const sp2 = first.lastIndexOf(' ')
    if (sp1 <= 0 || sp2 === sp1) throw new HttpParseError('malformed request line')
    method = first.slice(0, sp1)
    const target = first.slice(sp1 + 1, sp2)
    const version = first.slice(sp2 + 1)
    if (!METHOD.test(method) || target === '' || /[\s\x00-\x1f\x7f]/.test(target)) throw new HttpParseError('malformed request line')
    minorVersion = versionOf(version)
  } else {
    if (first.length < 12 || first[8] !== ' ') throw new HttpParseError('malformed status line')
    minorVersion = versionOf(first.slice(0, 8))
    status = Number(first.slice(9, 12))
    if (!/^[1-9]\d\d$/.test(first.slice(9, 12))) throw new HttpParseError('malformed status line')
  }
  let contentLength = -1
  let transferEncoding: string | undefined
  let connection = ''
  let upgradeHeader = false
  let expectContinue = false
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    const c0 = line.charCodeAt(0)
    if (c0 === 0x20 || c0 === 0x09) throw new HttpParseError('obsolete line folding in a header (obs-fold) is not accepted')
    if (line.includes('\n') || line.includes('\r')) throw new HttpParseError('bare CR or LF in the head')
    const colon = line.indexOf(':')
    if (colon <= 0) throw new HttpParseError(`malformed header line "${line.slice(0, 40)}"`)
    const name = line.slice(0, colon)
    if (!TOKEN.test(name)) throw new HttpParseError(`invalid header name "${name.slice(0, 40)}" (no spaces before the colon)`)
    const value = line.slice(colon + 1).trim()
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new HttpParseError(`control character in header ${name}`)
    switch (name.length) {
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (!/^\d{1,15}$/.test(value)) throw new HttpParseError(`invalid Content-Length "${value.slice(0, 40)}"`)
          const n = Number(value)
          if (contentLength >= 0 && contentLength !== n) throw new HttpParseError('conflicting Content-Length headers')
          contentLength = n
        }
        break
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') {
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`
        }
        break
      case 10:
        if (name.toLowerCase() === 'connection') connection += `,${value.toLowerCase()}`
        break
      case 7:
        if (name.toLowerCase() === 'upgrade') upgradeHeader = true
        break
      case 6:
        if (name.toLowerCase() === 'expect' && value.toLowerCase() === '100-continue') expectContinue = true
        break
    }
  }
  let body: BodyKind
  if (transferEncoding !== undefined) {
    if (contentLength >= 0) throw new HttpParseError('both Content-Length and Transfer-Encoding (ambiguous framing)')
    if (minorVersion === 0) throw new HttpParseError('Transfer-Encoding in an HTTP/1.0 message')
    if (transferEncoding.toLowerCase() !== 'chunked') throw new HttpParseError(`unsupported Transfer-Encoding "${transferEncoding.slice(0, 40)}" (only chunked)`)
    body = 'chunked'
  } else if (contentLength >= 0) {
    body = contentLength > 0 ? 'length' : 'none'
  } else {
    body = isRequest ? 'none' : 'close'
  }
  const tokens = connection.split(',').map((s) => s.trim())
  const keepAlive = minorVersion === 1 ? !tokens.includes('close') : tokens.includes('keep-alive')
  let upgrade = upgradeHeader && tokens.includes('upgrade')
  if (!isRequest) {
    // upstream: RFC 9112 §6.3 — HEAD answers, 1xx, 204 and 304 have no body whatever they say.
    if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) body = 'none'
    upgrade = status === 101
  }
  return { headLength, method, status, minorVersion, body, contentLength: Math.max(0, contentLength), keepAlive: keepAlive && body !== 'close', upgrade, expectContinue }
}

function versionOf(v: string): number {
  if (v === 'HTTP/1.1') return 1
  if (v === 'HTTP/1.0') return 0
  throw new HttpParseError(`unsupported HTTP version "${v.slice(0, 20)}"`)
}

const enum ChunkState {
  Size,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerLine,
  TrailerLf,
  FinalLf,
  Done,
}

/**
 * Follows chunked framing over arbitrary slices without copying: `feed` says how many bytes of the
 * slice belong to the body (the rest is the next message) and throws HttpParseError on a bad chunk
 * size, a missing CRLF or an oversized size line.
 */
export class ChunkedFramer {
  private state = ChunkState.Size
  private remaining = 0
  private digits = 0
  private lineBytes = 0

  /** True once the last chunk and trailers were seen. */
  get done(): boolean {
    return this.state === ChunkState.Done
  }

  /** Consumes body bytes from buf[start..end); returns how many belong to this body. */
  feed(buf: Uint8Array, start: number, end: number): number {
    let i = start
    while (i < end && this.state !== ChunkState.Done) {
      switch (this.state) {
        case ChunkState.Data: {
          const n = Math.min(this.remaining, end - i)
          i += n
          this.remaining -= n
          if (this.remaining === 0) this.state = ChunkState.DataCr
          break
        }
        case ChunkState.Size: {
          const c = buf[i]!
          const h = hexValue(c)
          if (h >= 0) {
            if (++this.digits > 15) throw new HttpParseError('chunk size too large')
            this.remaining = this.remaining * 16 + h
          } else if (this.digits === 0) {
            throw new HttpParseError('invalid chunk size')
          } else if (c === 0x3b /* ; */ || c === 0x20 || c === 0x09) {
            this.state = ChunkState.Ext
          } else if (c === 0x0d) {
            this.state = ChunkState.SizeLf
          } else {
            throw new HttpParseError('invalid chunk size')
          }
          i++
          break
        }
        case ChunkState.Ext: {
          const c = buf[i]!
          if (c === 0x0d) this.state = ChunkState.SizeLf
          else if (c === 0x0a || ++this.lineBytes > 4096) throw new HttpParseError('invalid chunk extension')
          i++
          break
        }
        case ChunkState.SizeLf:
          if (buf[i] !== 0x0a) throw new HttpParseError('chunk size line not ended by CRLF')
          i++
          this.digits = 0
          this.lineBytes = 0
          if (this.remaining === 0) this.state = ChunkState.TrailerStart
          else this.state = ChunkState.Data
          break
        case ChunkState.DataCr:
          if (buf[i] !== 0x0d) throw new HttpParseError('chunk data not followed by CRLF')
          i++
          this.state = ChunkState.DataLf
          break
        case ChunkState.DataLf:
          if (buf[i] !== 0x0a) throw new HttpParseError('chunk data not followed by CRLF')
          i++
          this.state = ChunkState.Size
          break
        case ChunkState.TrailerStart:
          if (buf[i] === 0x0d) this.state = ChunkState.FinalLf
          else this.state = ChunkState.TrailerLine
          i++
          break
        case ChunkState.TrailerLine:
          if (buf[i] === 0x0d) this.state = ChunkState.TrailerLf
          else if (buf[i] === 0x0a || ++this.lineBytes > MAX_HEAD_BYTES) throw new HttpParseError('malformed trailer')
          i++
          break
        case ChunkState.TrailerLf:
          if (buf[i] !== 0x0a) throw new HttpParseError('malformed trailer')
          i++
          this.lineBytes = 0
          this.state = ChunkState.TrailerStart
          break
        case ChunkState.FinalLf:
          if (buf[i] !== 0x0a) throw new HttpParseError('chunked body not ended by CRLF')
          i++
          this.state = ChunkState.Done
          break
      }
    }
    return i - start
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}
