// The lab's state file, `<stateRoot>/<name>/state.json`: everything `kplab up` creates is written
// here before (namespaces) or the moment after (processes) it exists, so `kplab down` removes
// exactly that, even after `kill -9` of `up`. Processes are recorded with their kernel start time
// so a recycled PID is never killed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../base/errors.js'

/** One process the lab started (a component, a forwarder, or the supervising `kplab up` itself). */
export interface ProcessRecord {
  /** 'apiserver', 'proxy', 'forwarder', 'supervisor', … */
  name: string
  /** 'master', 'node1', 'host', … */
  machine: string
  pid: number
  /** Kernel start time (/proc/PID/stat field 22); undefined where /proc is missing (not Linux). */
  startTime?: string
  logFile?: string
  restarts?: number
}

/** Everything a lab is made of, as recorded while it was made. */
export interface LabState {
  version: 1
  name: string
  mode: 'netns' | 'local'
  stateDir: string
  /** 'starting' until every node is Ready, then 'ready'; 'stopping' during down. */
  phase: 'starting' | 'ready' | 'stopping'
  /** Milliseconds since the epoch when `up` began. */
  createdAt: number
  proxyMode: 'iptables' | 'userspace'
  lbAlgorithm: string
  /** netns mode: `kplab-<name>-`, the prefix of every namespace this lab may own. */
  prefix?: string
  /** Namespaces, recorded before they are created. */
  namespaces: string[]
  /** The `kplab up` process that supervises the others. */
  supervisor?: ProcessRecord
  processes: ProcessRecord[]
  /** Directory of the forwarders' unix sockets (netns mode), removed by down. */
  socketDir?: string
  /** Host-side loopback forwards: what the host dials → what it reaches inside the lab. */
  forwards: { name: string; listen: string; target: string }[]
  /** API server URL reachable from the host. */
  apiServerURL?: string
  /** kubeconfig that works from the host. */
  kubeconfig?: string
  /** Node names ('node1', …). */
  nodes: string[]
  /** Machine name → address ('master' → 192.168.56.10); local mode: 127.0.0.1. */
  machines: Record<string, string>
  /** Node name → proxy metrics URL reachable from the host. */
  proxyMetrics: Record<string, string>
}

const LAB_NAME = /^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/

/** Throws unless name is a lab name: 1-16 lower-case letters, digits and "-" (it goes into namespace names). */
export function assertLabName(name: string): void {
  if (typeof name !== 'string' || !LAB_NAME.test(name)) {
    throw new UsageError(`--name: ${JSON.stringify(name)} is not a lab name; use 1-16 lower-case letters, digits and "-" (e.g. lab)`)
  }
}

/** The directory of a lab: `<stateRoot>/<name>`. */
export function labStateDir(stateRoot: string, name: string): string {
  assertLabName(name)
  return join(stateRoot, name)
}

/** The namespace prefix of a lab in netns mode. */
export function labPrefix(name: string): string {
  assertLabName(name)
  return `kplab-${name}-`
}

/** Path of the state file in a lab directory. */
export function stateFile(stateDir: string): string {
  return join(stateDir, 'state.json')
}

/** Reads a lab's state file; undefined when there is none. */
export function readLabState(stateDir: string): LabState | undefined {
  const file = stateFile(stateDir)
  if (!existsSync(file)) return undefined
  let v: unknown
  try {
    v = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON (${(e as Error).message}); remove the lab's leftovers with kplab down`)
  }
  const s = v as Partial<LabState> | null
  if (!s || s.version !== 1 || typeof s.name !== 'string' || !Array.isArray(s.namespaces) || !Array.isArray(s.processes)) {
    throw new UsageError(`${file} is not a kplab lab state (version 1)`)
  }
  if (s.prefix !== undefined) {
    // Cleanup trusts this file to pick namespaces to delete: only the lab's own prefix will do.
    if (s.prefix !== labPrefix(s.name)) throw new UsageError(`${file}: prefix ${s.prefix} does not belong to lab ${s.name}`)
    for (const n of s.namespaces) if (!n.startsWith(s.prefix)) throw new UsageError(`${file}: namespace ${n} is outside the lab's prefix ${s.prefix}`)
  }
  return s as LabState
}

/** Writes the state atomically (temp file + rename), so a crash never leaves half a file. */
export function writeLabState(state: LabState): void {
  mkdirSync(state.stateDir, { recursive: true })
  const file = stateFile(state.stateDir)
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(`${file}.tmp`, file)
}

/** A state that is written through on every change (synchronously, so the file never lags behind). */
export class LabStateFile {
  constructor(readonly state: LabState) {
    writeLabState(state)
  }

  /** Applies a change and writes the file. */
  update(change: (s: LabState) => void): void {
    change(this.state)
    writeLabState(this.state)
  }

  /** Records (or replaces, by name and machine) a process with its current start time. */
  recordProcess(p: Omit<ProcessRecord, 'startTime'>): void {
    const rec: ProcessRecord = { ...p }
    const st = processStartTime(p.pid)
    if (st !== undefined) rec.startTime = st
    this.update((s) => {
      const i = s.processes.findIndex((x) => x.name === p.name && x.machine === p.machine)
      if (i >= 0) s.processes[i] = rec
      else s.processes.push(rec)
    })
  }
}

/** The kernel start time of a process (field 22 of /proc/PID/stat), or undefined when it is gone or /proc is missing. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces and parentheses: split after its last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19]
  } catch {
    return undefined
  }
}

/** True when the recorded process still runs and is the same process (its start time matches). */
export function isSameProcess(rec: ProcessRecord): boolean {
  if (!Number.isInteger(rec.pid) || rec.pid <= 1) return false
  try {
    process.kill(rec.pid, 0)
  } catch {
    return false
  }
  if (rec.startTime === undefined) return !existsSync('/proc/self/stat')
  return processStartTime(rec.pid) === rec.startTime
}

/** Sends a signal to a recorded process only if it is still that process; returns whether it was sent. */
export function signalRecorded(rec: ProcessRecord, signal: NodeJS.Signals): boolean {
  if (!isSameProcess(rec)) return false
  try {
    process.kill(rec.pid, signal)
    return true
  } catch {
    return false
  }
}
