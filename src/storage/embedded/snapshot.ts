import { open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeObject } from '../../api/meta.js'
import { deepFreeze } from '../objects.js'
import { crc32 } from './record.js'
import { fsyncDir, listSegments } from './wal.js'

/** First line of a snapshot file; the second line is the JSON array of [key, object] pairs. */
interface SnapshotHeader {
  format: 'kplab-snapshot/v1'
  revision: number
  count: number
  /** CRC-32 of the body (second line) bytes. */
  crc32: number
}

/** Snapshots are `snapshot-<revision, 20 digits>.json`. */
export function snapshotName(rev: number): string {
  return `snapshot-${String(rev).padStart(20, '0')}.json`
}

/** The revision of a snapshot file name, or undefined when name is not a snapshot. */
export function parseSnapshotName(name: string): number | undefined {
  const m = /^snapshot-(\d{20})\.json$/.exec(name)
  return m ? Number(m[1]) : undefined
}

/** The snapshots in dir, newest first. */
export async function listSnapshots(dir: string): Promise<{ name: string; revision: number }[]> {
  const out: { name: string; revision: number }[] = []
  for (const name of await readdir(dir)) {
    const revision = parseSnapshotName(name)
    if (revision !== undefined) out.push({ name, revision })
  }
  return out.sort((a, b) => b.revision - a.revision)
}

/**
 * Writes every object as of rev to `snapshot-<rev>.json` atomically: a temp file, fsync, rename,
 * fsync of the directory. A crash at any point leaves either no snapshot or a whole one.
 */
export async function writeSnapshot(dir: string, rev: number, entries: Iterable<[string, KubeObject]>): Promise<string> {
  const parts: string[] = []
  for (const [k, obj] of entries) parts.push(`[${JSON.stringify(k)},${JSON.stringify(obj)}]`)
  const body = Buffer.from(`[${parts.join(',\n')}]`, 'utf8')
  const header: SnapshotHeader = { format: 'kplab-snapshot/v1', revision: rev, count: parts.length, crc32: crc32(body) }
  const name = snapshotName(rev)
  const tmp = join(dir, `${name}.tmp`)
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), body]))
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, join(dir, name))
  await fsyncDir(dir)
  return name
}

/** The contents of a valid snapshot. */
export interface LoadedSnapshot {
  revision: number
  entries: [string, KubeObject][]
}

/** Reads and verifies a snapshot; returns the reason instead when it is damaged. */
export async function readSnapshot(path: string): Promise<LoadedSnapshot | { invalid: string }> {
  const buf = await readFile(path)
  const nl = buf.indexOf(0x0a)
  if (nl < 0) return { invalid: 'no header line' }
  let header: SnapshotHeader
  try {
    header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as SnapshotHeader
  } catch {
    return { invalid: 'header is not JSON' }
  }
  if (header.format !== 'kplab-snapshot/v1') return { invalid: `unknown format ${String(header.format)}` }
  const body = buf.subarray(nl + 1)
  if (crc32(body) !== header.crc32) return { invalid: 'body crc32 mismatch' }
  const entries = deepFreeze(JSON.parse(body.toString('utf8'))) as [string, KubeObject][]
  if (!Array.isArray(entries) || entries.length !== header.count) return { invalid: `expected ${header.count} entries` }
  return { revision: header.revision, entries }
}

/**
 * Deletes what the snapshot at rev makes redundant: log segments that end at or before rev (those
 * starting at or before it, as the log was rotated to rev + 1), older snapshots, and temp files.
 */
export async function compactAfterSnapshot(dir: string, rev: number): Promise<void> {
  const doomed: string[] = []
  for (const s of await listSegments(dir)) if (s.firstRev <= rev) doomed.push(s.name)
  for (const s of await listSnapshots(dir)) if (s.revision < rev) doomed.push(s.name)
  for (const name of await readdir(dir)) if (name.endsWith('.tmp')) doomed.push(name)
  for (const name of doomed) await unlink(join(dir, name))
  if (doomed.length > 0) await fsyncDir(dir)
}
