import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeObject } from '../../api/meta.js'
import { StoreUnavailableError } from '../errors.js'
import { decodeMutation, type Mutation } from './mutation.js'
import { decodeRecords } from './record.js'
import { listSnapshots, readSnapshot } from './snapshot.js'
import { fsyncDir, listSegments, segmentName } from './wal.js'

/** What recovery found and did, for the startup log line and for tests. */
export interface RecoveryReport {
  /** Revision of the snapshot loaded (0: none). */
  snapshotRevision: number
  /** Snapshots that failed verification and were passed over, with the reason. */
  snapshotsSkipped: string[]
  segmentsRead: number
  recordsReplayed: number
  /** Where replay stopped early: the segment, the byte offset it was truncated to, and why. */
  truncated?: { segment: string; offset: number; droppedBytes: number; reason: string }
  /** Segments after a damaged one, renamed to `<name>.broken` and not replayed. */
  segmentsSetAside: string[]
}

/** Callbacks that rebuild the store's state, in order: at most one snapshot, then mutations. */
export interface RecoveryHandlers {
  onSnapshot(rev: number, entries: [string, KubeObject][]): void
  onMutation(m: Mutation): void
}

/** The outcome of recovery: the report and the segment to append to from now on. */
export interface RecoveryResult {
  report: RecoveryReport
  appendSegment: string
}

/**
 * Rebuilds state from dir: the newest valid snapshot, then every log record after it, in revision
 * order. Replay stops at the first torn or corrupt record and truncates the segment there (a crash
 * mid-append leaves at most one torn record, never an acknowledged one, since acknowledgement waits
 * for fdatasync). Creates dir when missing.
 */
export async function recover(dir: string, handlers: RecoveryHandlers): Promise<RecoveryResult> {
  await mkdir(dir, { recursive: true })
  for (const name of await readdir(dir)) if (name.endsWith('.tmp')) await unlink(join(dir, name))
  const report: RecoveryReport = { snapshotRevision: 0, snapshotsSkipped: [], segmentsRead: 0, recordsReplayed: 0, segmentsSetAside: [] }

  for (const s of await listSnapshots(dir)) {
    const snap = await readSnapshot(join(dir, s.name))
    if ('invalid' in snap) {
      report.snapshotsSkipped.push(`${s.name}: ${snap.invalid}`)
      continue
    }
    report.snapshotRevision = snap.revision
    handlers.onSnapshot(snap.revision, snap.entries)
    break
  }

  const segments = await listSegments(dir)
  let last = report.snapshotRevision
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!
    // Whole segments behind the snapshot (the next one starts at or before snapshot + 1) are skipped.
    const next = segments[i + 1]
    if (next && next.firstRev <= report.snapshotRevision + 1) continue
    const path = join(dir, seg.name)
    const buf = await readFile(path)
    report.segmentsRead++
    const decoded = decodeRecords(buf)
    let validLength = decoded.validLength
    let reason: string | undefined = decoded.stop
    let offset = 0
    for (const payload of decoded.payloads) {
      let m: Mutation
      try {
        m = decodeMutation(payload)
      } catch (err) {
        reason = `undecodable record: ${(err as Error).message}`
        validLength = offset
        break
      }
      if (m.rev <= last) {
        offset += 8 + payload.length
        continue
      }
      if (m.rev !== last + 1) {
        if (report.recordsReplayed === 0 && offset === 0) {
          throw new StoreUnavailableError(
            `data dir ${dir} is missing log records ${last + 1}..${m.rev - 1} (segment ${seg.name} starts later); ` +
              'it was damaged or a snapshot was lost: restore it from a backup',
          )
        }
        reason = `revision ${m.rev} follows ${last}`
        validLength = offset
        break
      }
      handlers.onMutation(m)
      last = m.rev
      report.recordsReplayed++
      offset += 8 + payload.length
    }
    if (reason !== undefined) {
      report.truncated = { segment: seg.name, offset: validLength, droppedBytes: buf.length - validLength, reason }
      await truncateFile(path, validLength)
      // Nothing after a damaged record can be applied in order; keep it for inspection.
      for (const later of segments.slice(i + 1)) {
        await rename(join(dir, later.name), join(dir, `${later.name}.broken`))
        report.segmentsSetAside.push(later.name)
      }
      await fsyncDir(dir)
      return { report, appendSegment: seg.name }
    }
  }
  const tail = segments[segments.length - 1]
  return { report, appendSegment: tail ? tail.name : segmentName(last + 1) }
}

async function truncateFile(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+')
  try {
    await fh.truncate(length)
    await fh.sync()
  } finally {
    await fh.close()
  }
}
