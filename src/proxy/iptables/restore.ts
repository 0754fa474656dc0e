// The only file in the proxy that runs iptables. It mirrors the slice of upstream's
// pkg/util/iptables Interface that kube-proxy uses (restore, save, ensure/delete chain and rule)
// and runs every command inside the proxy's network namespace through the netns CommandRunner.
// ensureJumpRules and cleanupLeftovers are written against the IptablesPrimitives port so the
// in-memory FakeIptables runs the very same logic.
import { CommandError } from '../../base/errors.js'
import { inputText, type CommandRunner } from '../../netns/exec.js'
import { IPTABLES_JUMP_CHAINS, jumpRuleArgs } from './jump-rules.js'

/** The iptables tables kplab touches. */
export type IptablesTable = 'filter' | 'nat' | 'mangle' | 'raw'

/** Where ensureRule puts a missing rule: `-I` (top of the chain) or `-A` (bottom). */
export type RulePosition = 'prepend' | 'append'

/** How a restore payload is applied. */
export interface RestoreOptions {
  /** Restore only this table (`-T table`); other tables in the payload are ignored. */
  table?: IptablesTable
  /** Leave chains not named in the payload alone (`--noflush`); default true, as kube-proxy. */
  noflush?: boolean
  /** Accept `[packets:bytes]` counters in the payload (`--counters`); default true, as kube-proxy. */
  counters?: boolean
}

/** An iptables-restore payload: text, or byte chunks as the generator writes them (no 32 MB copy). */
export type RestorePayload = string | readonly Buffer[]

/** The iptables operations kube-proxy needs (upstream pkg/util/iptables Interface, trimmed). */
export interface IptablesPrimitives {
  /** Applies an iptables-restore payload; rejects with a RestoreError naming the failing line. */
  restore(payload: RestorePayload, options?: RestoreOptions): Promise<void>
  /** iptables-save output for one table, or all tables. */
  save(table?: IptablesTable): Promise<string>
  /** Creates a chain; resolves true when it already existed. */
  ensureChain(table: IptablesTable, chain: string): Promise<boolean>
  /** Adds a rule unless an identical one exists; resolves true when it already existed. */
  ensureRule(position: RulePosition, table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean>
  /** Deletes a rule; resolves false when there was no such rule (or chain). */
  deleteRule(table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean>
  /** Empties a chain; resolves false when the chain did not exist. */
  flushChain(table: IptablesTable, chain: string): Promise<boolean>
  /** Deletes an empty, unreferenced chain; resolves false when it did not exist. */
  deleteChain(table: IptablesTable, chain: string): Promise<boolean>
}

/** The full port the proxier uses: primitives plus kube-proxy's jump rules and --cleanup. */
export interface IptablesRunner extends IptablesPrimitives {
  /** Ensures the built-in → KUBE-* jump rules (reference §1.2), in upstream order. */
  ensureJumpRules(): Promise<void>
  /** Removes the jump rules and every KUBE-* chain (`kplab proxy --cleanup`). */
  cleanup(): Promise<CleanupResult>
}

/** One line of a payload with its 1-based number. */
export interface PayloadLine {
  line: number
  text: string
}

/** An iptables-restore failure, with the failing payload line and its neighbours. */
export class RestoreError extends CommandError {
  constructor(
    command: string,
    exitCode: number | null,
    stderr: string,
    /** The 1-based payload line iptables-restore reported, when it reported one. */
    readonly line: number | undefined,
    /** The failing line with up to 3 lines either side (upstream logs the same context). */
    readonly context: PayloadLine[],
  ) {
    super(command, exitCode, stderr)
    const where = line === undefined ? '' : ` at payload line ${line}`
    const ctx = context.map((l) => `${l.line === line ? '>' : ' '} ${String(l.line).padStart(5)}: ${l.text}`).join('\n')
    this.message = `iptables-restore failed${where} (exit ${exitCode}): ${stderr.trim().split('\n').join(' | ')}${ctx ? `\n${ctx}` : ''}`
  }
}

// upstream: pkg/util/iptables/iptables.go (iptablesRestoreFailureRE "line ([1-9][0-9]*) failed").
// iptables-nft also reports "Error occurred at line: N" (parse errors) and "line N: X failed".
const RESTORE_LINE_RES = [/line ([1-9][0-9]*) failed/, /Error occurred at line: ([1-9][0-9]*)/, /\bline ([1-9][0-9]*):/]

/** The payload line number an iptables-restore error message names, if any. */
export function parseRestoreErrorLine(stderr: string): number | undefined {
  for (const re of RESTORE_LINE_RES) {
    const m = re.exec(stderr)
    if (m) return Number(m[1])
  }
  return undefined
}

/** Lines line-count … line+count of a payload (1-based, clipped). upstream: utiliptables.ExtractLines */
export function extractLines(payload: string, line: number, count = 3): PayloadLine[] {
  if (line < 1) return []
  const lines = payload.split('\n')
  const out: PayloadLine[] = []
  for (let n = Math.max(1, line - count); n <= Math.min(lines.length, line + count); n++) {
    out.push({ line: n, text: lines[n - 1]! })
  }
  return out
}

/** Builds the RestoreError for a failed restore of payload. */
export function restoreError(command: string, exitCode: number | null, stderr: string, payload: string): RestoreError {
  const line = parseRestoreErrorLine(stderr)
  return new RestoreError(command, exitCode, stderr, line, line === undefined ? [] : extractLines(payload, line))
}

// upstream: pkg/util/iptables/iptables.go (iptablesNotFoundStrings, IsNotFoundError): the texts
// legacy and nft iptables print when a chain, target or rule does not exist.
const NOT_FOUND = ['No chain/target/match by that name', 'No such file or directory', 'does a matching rule exist in that chain?', 'does not exist']

/** True when an iptables error means "no such chain/rule/target". */
export function isNotFoundError(err: unknown): boolean {
  const text = err instanceof CommandError ? `${err.stderr} ${err.message}` : err instanceof Error ? err.message : String(err)
  return NOT_FOUND.some((s) => text.includes(s))
}

/** What cleanupLeftovers removed and which steps failed (it carries on past failures). */
export interface CleanupResult {
  jumpRulesDeleted: number
  chainsDeleted: { table: IptablesTable; chain: string }[]
  errors: Error[]
}

/** Ensures every jump rule of reference §1.2 on ipt, in upstream order (each missing one prepended). */
export async function ensureJumpRules(ipt: IptablesPrimitives): Promise<void> {
  // upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: EnsureChain + EnsureRule(Prepend) per jump)
  for (const jump of IPTABLES_JUMP_CHAINS) {
    await ipt.ensureChain(jump.table, jump.dstChain)
    await ipt.ensureRule('prepend', jump.table, jump.srcChain, jumpRuleArgs(jump))
  }
}

// Tables cleanup hunts in: nat and filter as upstream, plus mangle for KUBE-PROXY-CANARY.
const CLEANUP_TABLES: IptablesTable[] = ['nat', 'filter', 'mangle']

/** Removes the jump rules, then flushes and deletes every KUBE-* chain per table (nat, filter, mangle). */
export async function cleanupLeftovers(ipt: IptablesPrimitives): Promise<CleanupResult> {
  // upstream: pkg/proxy/iptables/proxier.go (CleanupLeftovers: unlink jumps, then one restore per table
  // that declares each chain (a flush) and deletes it with -X)
  const result: CleanupResult = { jumpRulesDeleted: 0, chainsDeleted: [], errors: [] }
  for (const jump of IPTABLES_JUMP_CHAINS) {
    try {
      if (await ipt.deleteRule(jump.table, jump.srcChain, jumpRuleArgs(jump))) result.jumpRulesDeleted++
    } catch (e) {
      if (!isNotFoundError(e)) result.errors.push(e as Error)
    }
  }
  for (const table of CLEANUP_TABLES) {
    try {
      const saved = await ipt.save(table)
      const { payload, chains } = cleanupPayload(table, saved)
      if (chains.length === 0) continue
      await ipt.restore(payload, { table, noflush: true, counters: true })
      for (const chain of chains) result.chainsDeleted.push({ table, chain })
    } catch (e) {
      result.errors.push(e as Error)
    }
  }
  return result
}

/** The restore payload that removes every KUBE-* chain of one table, given its iptables-save text. */
export function cleanupPayload(table: IptablesTable, saved: string): { payload: string; chains: string[] } {
  const chains: string[] = []
  const unlink: string[] = []
  let inTable = false
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) inTable = line.slice(1).trim() === table
    if (!inTable) continue
    const chain = /^:(KUBE-\S+)/.exec(line)
    if (chain) chains.push(chain[1]!)
    // A rule in a chain that is not ours but jumps into ours (kubelet's, or one whose comment
    // changed) would keep -X from working, so it is deleted in the same transaction.
    const rule = /^-A (\S+) (.*)$/.exec(line)
    if (rule && !rule[1]!.startsWith('KUBE-') && /(?:^|\s)-[jg] KUBE-\S+/.test(rule[2]!)) unlink.push(`-D ${rule[1]} ${rule[2]}`)
  }
  const payload = [`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...unlink, ...chains.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n')
  return { payload, chains }
}

/** Options for the real iptables runner. */
export interface IptablesExecOptions {
  runner: CommandRunner
  /**
   * The network namespace to run in. null means the namespace kplab itself runs in, which is
   * right only on a dedicated node (a Vagrant VM), never on the lab host.
   */
  netns: string | null
  /** Lock-wait flags; default `-w 5 -W 100000` (iptables ≥ 1.6.2, upstream getIPTablesWaitFlag). */
  waitFlags?: string[]
  /**
   * Which iptables: the system's (`iptables`, whatever alternative it points at), or explicitly
   * `legacy` (x_tables) or `nft` (nf_tables). Restore of 100k chains is linear in legacy and
   * quadratic in iptables-nft 1.8.9 (see the bench), so a large lab may want to choose.
   */
  backend?: IptablesBackend
}

/** The iptables binaries to use. */
export type IptablesBackend = 'system' | 'legacy' | 'nft'

/** iptables through real commands, inside one network namespace. */
export class IptablesExec implements IptablesRunner {
  private readonly runner: CommandRunner
  private readonly netns: string | undefined
  private readonly wait: string[]
  private readonly bin: string

  constructor(options: IptablesExecOptions) {
    if (options.netns === undefined) {
      throw new TypeError('IptablesExec needs netns: a lab namespace name, or null to use the current namespace on a dedicated node')
    }
    this.runner = options.runner
    this.netns = options.netns ?? undefined
    this.wait = options.waitFlags ?? ['-w', '5', '-W', '100000']
    this.bin = options.backend === undefined || options.backend === 'system' ? 'iptables' : `iptables-${options.backend}`
  }

  private opts(extra: { input?: RestorePayload; allowFailure?: boolean } = {}): { input?: RestorePayload; allowFailure?: boolean; netns?: string } {
    return { ...extra, ...(this.netns !== undefined ? { netns: this.netns } : {}) }
  }

  async restore(payload: RestorePayload, options: RestoreOptions = {}): Promise<void> {
    // upstream: pkg/util/iptables/iptables.go (restoreInternal: wait flags, --noflush, --counters, -T table)
    const args = [...this.wait]
    if (options.noflush !== false) args.push('--noflush')
    if (options.counters !== false) args.push('--counters')
    if (options.table) args.push('-T', options.table)
    try {
      await this.runner.run(`${this.bin}-restore`, args, this.opts({ input: payload }))
    } catch (e) {
      if (e instanceof CommandError) throw restoreError(e.command, e.exitCode, e.stderr, inputText(payload))
      throw e
    }
  }

  async save(table?: IptablesTable): Promise<string> {
    const r = await this.runner.run(`${this.bin}-save`, table ? ['-t', table] : [], this.opts())
    return r.stdout
  }

  private iptables(args: string[], allowFailure = false): ReturnType<CommandRunner['run']> {
    return this.runner.run(this.bin, [...this.wait, ...args], this.opts({ allowFailure }))
  }

  async ensureChain(table: IptablesTable, chain: string): Promise<boolean> {
    // upstream: EnsureChain treats exit status 1 of `-N` as "already exists".
    const r = await this.iptables(['-N', chain, '-t', table], true)
    if (r.code === 0) return false
    if (r.code === 1) return true
    throw new CommandError(`iptables -N ${chain} -t ${table}`, r.code, r.stderr)
  }

  private async checkRule(table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean> {
    const r = await this.iptables(['-C', chain, '-t', table, ...args], true)
    if (r.code === 0) return true
    if (r.code === 1 || NOT_FOUND.some((s) => r.stderr.includes(s))) return false
    throw new CommandError(`iptables -C ${chain} -t ${table} ${args.join(' ')}`, r.code, r.stderr)
  }

  async ensureRule(position: RulePosition, table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean> {
    // upstream: pkg/util/iptables/iptables.go (EnsureRule: -C, then -I or -A)
    if (await this.checkRule(table, chain, args)) return true
    await this.iptables([position === 'prepend' ? '-I' : '-A', chain, '-t', table, ...args])
    return false
  }

  async deleteRule(table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean> {
    if (!(await this.checkRule(table, chain, args))) return false
    await this.iptables(['-D', chain, '-t', table, ...args])
    return true
  }

  async flushChain(table: IptablesTable, chain: string): Promise<boolean> {
    return this.chainOp('-F', table, chain)
  }

  async deleteChain(table: IptablesTable, chain: string): Promise<boolean> {
    return this.chainOp('-X', table, chain)
  }

  private async chainOp(op: '-F' | '-X', table: IptablesTable, chain: string): Promise<boolean> {
    const r = await this.iptables([op, chain, '-t', table], true)
    if (r.code === 0) return true
    if (NOT_FOUND.some((s) => r.stderr.includes(s))) return false
    throw new CommandError(`iptables ${op} ${chain} -t ${table}`, r.code, r.stderr)
  }

  ensureJumpRules(): Promise<void> {
    return ensureJumpRules(this)
  }

  cleanup(): Promise<CleanupResult> {
    return cleanupLeftovers(this)
  }
}
