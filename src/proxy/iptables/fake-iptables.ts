// An in-memory iptables for pure proxier tests. It applies restore payloads with the kernel's
// rules as far as kube-proxy can observe them: per-table atomic COMMIT, `--noflush` (a chain line
// flushes an existing user chain or creates it; built-in chains keep their rules), `-X` only of an
// empty chain that nothing references, and no rule may jump to a chain that does not exist.
// The kernel test in test/proxy/iptables/restore.test.ts checks it against real iptables.
import { CommandError } from '../../base/errors.js'
import {
  cleanupLeftovers,
  ensureJumpRules,
  restoreError,
  type CleanupResult,
  type IptablesRunner,
  type IptablesTable,
  type RestoreOptions,
  type RestorePayload,
  type RulePosition,
} from './restore.js'
import { inputText } from '../../netns/exec.js'

interface Chain {
  builtin: boolean
  policy: string
  rules: string[][]
}
type Table = Map<string, Chain>

const BUILTINS: Record<IptablesTable, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
}
const TABLE_ORDER: IptablesTable[] = ['filter', 'nat', 'mangle', 'raw']

// Targets provided by iptables or its extensions; any other -j/-g target must be a chain.
const TARGETS = new Set(
  'ACCEPT DROP RETURN QUEUE REJECT DNAT SNAT MASQUERADE REDIRECT MARK CONNMARK LOG NFLOG NFQUEUE NOTRACK CT TPROXY TCPMSS CLASSIFY SET TRACE AUDIT CHECKSUM NETMAP'.split(' '),
)

/** Splits one iptables-restore line into arguments (double quotes group, backslash escapes). */
export function tokenizeRule(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let has = false
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]
      has = true
    } else if (c === '"') {
      quoted = !quoted
      has = true
    } else if (!quoted && /\s/.test(c)) {
      if (has) out.push(cur)
      cur = ''
      has = false
    } else {
      cur += c
      has = true
    }
  }
  if (quoted) throw new TypeError(`unterminated quote in ${JSON.stringify(line)}`)
  if (has) out.push(cur)
  return out
}

function quote(arg: string): string {
  return arg === '' || /[\s"\\]/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg
}

/** One operation seen by a FakeIptables, for tests that count syncs. */
export interface FakeIptablesCall {
  op: 'restore' | 'save' | 'ensureChain' | 'ensureRule' | 'deleteRule' | 'flushChain' | 'deleteChain'
  table?: IptablesTable
  chain?: string
  args?: string[]
  payload?: string
}

// An iptables failure; the text matches what real iptables prints, so isNotFoundError works.
class Fail extends Error {}

/** In-memory iptables with kernel-faithful restore semantics (see the file comment). */
export class FakeIptables implements IptablesRunner {
  private tables = new Map<IptablesTable, Table>()
  private nextRestoreFailure: string | undefined
  /** Every operation, in order. */
  readonly calls: FakeIptablesCall[] = []

  /** Makes the next restore fail with this stderr (e.g. to test the proxier's retry). */
  failNextRestore(stderr = 'iptables-restore: line 1 failed'): void {
    this.nextRestoreFailure = stderr
  }

  private table(name: IptablesTable): Table {
    let t = this.tables.get(name)
    if (!t) {
      t = new Map(BUILTINS[name].map((c) => [c, { builtin: true, policy: 'ACCEPT', rules: [] }]))
      this.tables.set(name, t)
    }
    return t
  }

  /** The chain names of a table: built-ins first, then user chains sorted. */
  chains(table: IptablesTable): string[] {
    const t = this.table(table)
    const user = [...t.keys()].filter((c) => !t.get(c)!.builtin).sort()
    return [...BUILTINS[table], ...user]
  }

  /** A chain's rules as argument lists (empty when the chain does not exist). */
  rules(table: IptablesTable, chain: string): string[][] {
    return (this.table(table).get(chain)?.rules ?? []).map((r) => [...r])
  }

  async restore(input: RestorePayload, options: RestoreOptions = {}): Promise<void> {
    const payload = inputText(input)
    this.calls.push({ op: 'restore', payload, ...(options.table ? { table: options.table } : {}) })
    const cmd = 'iptables-restore (fake)'
    if (this.nextRestoreFailure !== undefined) {
      const stderr = this.nextRestoreFailure
      this.nextRestoreFailure = undefined
      throw restoreError(cmd, 1, stderr, payload)
    }
    const lines = payload.split('\n')
    let current: { name: IptablesTable; work: Table; skip: boolean } | undefined
    let n = 0
    try {
      for (n = 1; n <= lines.length; n++) {
        const line = lines[n - 1]!.trim()
        if (line === '' || line.startsWith('#')) continue
        if (line.startsWith('*')) {
          if (current) throw new Fail(`table ${current.name} not committed before *${line.slice(1)}`)
          const name = line.slice(1) as IptablesTable
          if (!(name in BUILTINS)) throw new Fail(`can't initialize iptables table '${name}': Table does not exist`)
          const work = cloneTable(this.table(name))
          if (options.noflush === false) {
            // Without --noflush a table section starts from nothing but its built-in chains.
            for (const [c, ch] of [...work]) {
              if (ch.builtin) ch.rules = []
              else work.delete(c)
            }
          }
          current = { name, work, skip: options.table !== undefined && options.table !== name }
          continue
        }
        if (!current) throw new Fail('no table specified')
        if (line === 'COMMIT') {
          if (!current.skip) this.tables.set(current.name, current.work)
          current = undefined
          continue
        }
        if (current.skip) continue
        if (line.startsWith(':')) declareChain(current.work, line)
        else {
          let args: string[]
          try {
            args = tokenizeRule(line)
          } catch (e) {
            throw new Fail((e as Error).message)
          }
          if (options.counters !== false && /^\[\d+:\d+\]$/.test(args[0] ?? '')) args = args.slice(1)
          applyOp(current.work, args)
        }
      }
      if (current) {
        n = lines.length
        throw new Fail(`COMMIT expected at line ${n}`)
      }
    } catch (e) {
      if (!(e instanceof Fail)) throw e
      throw restoreError(cmd, 1, `iptables-restore: line ${n} failed: ${e.message}`, payload)
    }
  }

  async save(table?: IptablesTable): Promise<string> {
    this.calls.push({ op: 'save', ...(table ? { table } : {}) })
    const names = table ? [table] : TABLE_ORDER.filter((t) => this.tables.has(t))
    const out: string[] = []
    for (const name of names) {
      const t = this.table(name)
      out.push(`*${name}`)
      for (const c of this.chains(name)) out.push(`:${c} ${t.get(c)!.builtin ? t.get(c)!.policy : '-'} [0:0]`)
      for (const c of this.chains(name)) for (const r of t.get(c)!.rules) out.push(['-A', c, ...r].map(quote).join(' '))
      out.push('COMMIT')
    }
    return out.map((l) => `${l}\n`).join('')
  }

  private run<T>(call: FakeIptablesCall, fn: (t: Table) => T): T {
    this.calls.push(call)
    try {
      return fn(this.table(call.table!))
    } catch (e) {
      if (!(e instanceof Fail)) throw e
      const line = ['iptables', `-t ${call.table}`, call.op, call.chain ?? '', ...(call.args ?? [])].join(' ')
      throw new CommandError(`${line} (fake)`, 1, `iptables: ${e.message}`)
    }
  }

  async ensureChain(table: IptablesTable, chain: string): Promise<boolean> {
    return this.run({ op: 'ensureChain', table, chain }, (t) => {
      if (t.has(chain)) return true
      applyOp(t, ['-N', chain])
      return false
    })
  }

  async ensureRule(position: RulePosition, table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean> {
    return this.run({ op: 'ensureRule', table, chain, args: [...args] }, (t) => {
      if (findRule(t, chain, args) >= 0) return true
      applyOp(t, [position === 'prepend' ? '-I' : '-A', chain, ...args])
      return false
    })
  }

  async deleteRule(table: IptablesTable, chain: string, args: readonly string[]): Promise<boolean> {
    return this.run({ op: 'deleteRule', table, chain, args: [...args] }, (t) => {
      if (!t.has(chain) || findRule(t, chain, args) < 0) return false
      applyOp(t, ['-D', chain, ...args])
      return true
    })
  }

  async flushChain(table: IptablesTable, chain: string): Promise<boolean> {
    return this.run({ op: 'flushChain', table, chain }, (t) => {
      if (!t.has(chain)) return false
      applyOp(t, ['-F', chain])
      return true
    })
  }

  async deleteChain(table: IptablesTable, chain: string): Promise<boolean> {
    return this.run({ op: 'deleteChain', table, chain }, (t) => {
      if (!t.has(chain)) return false
      applyOp(t, ['-X', chain])
      return true
    })
  }

  ensureJumpRules(): Promise<void> {
    return ensureJumpRules(this)
  }

  cleanup(): Promise<CleanupResult> {
    return cleanupLeftovers(this)
  }
}

function cloneTable(t: Table): Table {
  return new Map([...t].map(([k, c]) => [k, { builtin: c.builtin, policy: c.policy, rules: c.rules.map((r) => [...r]) }]))
}

function declareChain(t: Table, line: string): void {
  const [name = '', policy = '-'] = line.slice(1).split(/\s+/)
  const existing = t.get(name)
  if (existing?.builtin) {
    // A built-in chain line only sets the policy; its rules stay (noflush) — iptables-restore.c.
    if (policy !== '-') existing.policy = policy
    return
  }
  if (policy !== '-') throw new Fail(`Can't set policy \`${policy}' on \`${name}': Bad built-in chain name`)
  assertChainName(name)
  if (existing) existing.rules = []
  else t.set(name, { builtin: false, policy: '-', rules: [] })
}

function assertChainName(name: string): void {
  // Kernel limit XT_EXTENSION_MAXNAMELEN (29 with NUL): chain names are at most 28 characters.
  if (!/^[^\s!-][^\s]{0,27}$/.test(name)) throw new Fail(`Invalid chain name \`${name}'`)
}

function targetOf(rule: readonly string[]): string | undefined {
  for (let i = 0; i < rule.length - 1; i++) {
    if (['-j', '--jump', '-g', '--goto'].includes(rule[i]!)) return rule[i + 1]
  }
  return undefined
}

function findRule(t: Table, chain: string, args: readonly string[]): number {
  const c = t.get(chain)
  if (!c) throw new Fail('No chain/target/match by that name.')
  return c.rules.findIndex((r) => r.length === args.length && r.every((a, i) => a === args[i]))
}

function checkTarget(t: Table, rule: readonly string[]): void {
  const target = targetOf(rule)
  if (target === undefined || TARGETS.has(target)) return
  const c = t.get(target)
  if (!c || c.builtin) throw new Fail(`Chain '${target}' does not exist`)
}

/** Applies one command (`-A/-I/-D/-N/-F/-X CHAIN …`) to a table, as the kernel would. */
function applyOp(t: Table, args: string[]): void {
  const [op, chain = ''] = args
  const rest = args.slice(2)
  const c = t.get(chain)
  switch (op) {
    case '-N':
      if (c) throw new Fail('Chain already exists.')
      assertChainName(chain)
      t.set(chain, { builtin: false, policy: '-', rules: [] })
      return
    case '-A':
    case '-I': {
      if (!c) throw new Fail('No chain/target/match by that name.')
      let pos = op === '-A' ? c.rules.length : 0
      let rule = rest
      if (op === '-I' && /^\d+$/.test(rest[0] ?? '')) {
        pos = Number(rest[0]) - 1
        rule = rest.slice(1)
        if (pos < 0 || pos > c.rules.length) throw new Fail('Index of insertion too big.')
      }
      checkTarget(t, rule)
      c.rules.splice(pos, 0, rule)
      return
    }
    case '-D': {
      if (!c) throw new Fail('No chain/target/match by that name.')
      const i = /^\d+$/.test(rest[0] ?? '') && rest.length === 1 ? Number(rest[0]) - 1 : findRule(t, chain, rest)
      if (i < 0 || i >= c.rules.length) throw new Fail('Bad rule (does a matching rule exist in that chain?).')
      c.rules.splice(i, 1)
      return
    }
    case '-F':
      if (!c) throw new Fail('No chain/target/match by that name.')
      c.rules = []
      return
    case '-X': {
      if (!c) throw new Fail('No chain/target/match by that name.')
      if (c.builtin) throw new Fail(`Can't delete built-in chain ${chain}`)
      // The kernel refuses to delete a chain that still has rules or that a rule jumps to (EBUSY).
      if (c.rules.length > 0) throw new Fail(`CHAIN_DEL failed (Device or resource busy): chain ${chain} is not empty`)
      for (const [from, other] of t) {
        if (other.rules.some((r) => targetOf(r) === chain)) {
          throw new Fail(`CHAIN_DEL failed (Device or resource busy): chain ${chain} is referenced from ${from}`)
        }
      }
      t.delete(chain)
      return
    }
    default:
      throw new Fail(`unknown command ${JSON.stringify(op)}`)
  }
}
