import * as zlib from 'node:zlib'

/** Bytes before each payload: u32 length, u32 crc32 (little-endian). */
export const RECORD_HEADER_BYTES = 8

/** Payloads above this size are treated as corruption (a torn or garbage length field). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 (IEEE, as zlib and gzip) of buf, table-driven; used when node:zlib has no crc32. */
export function crc32Table(buf: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

// node:zlib gained crc32 in Node 20.15 / 22.2; older 20.x falls back to the table.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32

/** CRC-32 (IEEE) of buf. */
export function crc32(buf: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(buf) >>> 0 : crc32Table(buf)
}

/** Frames one payload as `[u32 length][u32 crc32][payload]`. */
export function encodeRecord(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length)
  out.writeUInt32LE(payload.length, 0)
  out.writeUInt32LE(crc32(payload), 4)
  payload.copy(out, RECORD_HEADER_BYTES)
  return out
}

/** The whole records of a log file and where (and why) the valid part ends. */
export interface DecodedRecords {
  payloads: Buffer[]
  /** Byte length of the valid prefix; anything after it is torn or corrupt. */
  validLength: number
  /** Why decoding stopped before the end, if it did. */
  stop?: 'torn-header' | 'torn-payload' | 'bad-length' | 'bad-crc'
}

/**
 * Decodes records from the start of buf and stops at the first torn (short) or corrupt (bad length
 * or crc) one: a crash mid-append leaves at most one torn record at the tail, and nothing after a
 * bad record can be trusted.
 */
export function decodeRecords(buf: Buffer): DecodedRecords {
  const payloads: Buffer[] = []
  let off = 0
  while (off < buf.length) {
    if (buf.length - off < RECORD_HEADER_BYTES) return { payloads, validLength: off, stop: 'torn-header' }
    const len = buf.readUInt32LE(off)
    // Zero length cannot be written (payloads are JSON) but is what a zero-filled tail reads as.
    if (len === 0 || len > MAX_RECORD_BYTES) return { payloads, validLength: off, stop: 'bad-length' }
    if (buf.length - off - RECORD_HEADER_BYTES < len) return { payloads, validLength: off, stop: 'torn-payload' }
    const payload = buf.subarray(off + RECORD_HEADER_BYTES, off + RECORD_HEADER_BYTES + len)
    if (crc32(payload) !== buf.readUInt32LE(off + 4)) return { payloads, validLength: off, stop: 'bad-crc' }
    payloads.push(payload)
    off += RECORD_HEADER_BYTES + len
  }
  return { payloads, validLength: off }
}
