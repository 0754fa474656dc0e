// `kplab trace --src IP --dst IP --dport N -f FILE…`: walks one packet through the rules generated
// from manifests, or through an iptables-save / iptables-restore dump, and prints every matched rule
// and the DNAT destinations with their probabilities.
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { generateRules } from '../../proxy/iptables/generate.js'
import { parseIP } from '../../proxy/iptables/ip.js'
import { withKubeJumpRules } from '../../proxy/iptables/jump-rules.js'
import { isLocalAddress } from '../../proxy/iptables/match.js'
import { IptablesParseError, parseRuleset } from '../../proxy/iptables/parse.js'
import type { Ruleset } from '../../proxy/iptables/ruleset.js'
import { formatTrace } from '../../proxy/iptables/trace-format.js'
import { tracePacket, type TracePacket } from '../../proxy/iptables/trace.js'
import { processIo, type CliIo } from '../kube-flags.js'
import { generatorOptionsFromFlags, type ProxyRuleFlags } from '../../proxy/iptables/generator-flags.js'
import { addProxyRuleFlags, readProxyState } from './rules.js'
import { nodeAddresses, nodeIptablesSave, openLabNode } from '../lab-node-rules.js'

/** Flags of `trace`. */
export interface TraceFlags extends ProxyRuleFlags {
  src?: string
  dst?: string
  dport?: string
  sport?: string
  proto?: string
  origin?: string
  node?: string
  /** The lab whose node --node names. */
  name?: string
}

/** True when the text is iptables-save / -restore output rather than Kubernetes manifests. */
export function looksLikeIptables(text: string): boolean {
  return /^\*(filter|nat|mangle|raw|security)\s*$/m.test(text)
}

function port(name: string, v: string | undefined, required: boolean): number | undefined {
  if (v === undefined) {
    if (required) throw new UsageError(`--${name} is required (a port number 1-65535)`)
    return undefined
  }
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`invalid value "${v}" for --${name}: a port number 1-65535`)
  return n
}

function address(name: string, v: string | undefined): string {
  if (v === undefined) throw new UsageError(`--${name} is required (an IP address)`)
  if (parseIP(v) === undefined) throw new UsageError(`invalid value "${v}" for --${name}: not an IP address`)
  return v
}

/** Loads the ruleset to trace: dumps are parsed, manifests generate rules (plus kube-proxy's jump rules). */
export function loadRuleset(flags: TraceFlags): Ruleset {
  const files = flags.filename ?? []
  if (files.length === 0) throw new UsageError('no input: pass -f with manifests (Services, EndpointSlices) or an iptables-save dump')
  const texts = files.map((f) => {
    try {
      return { f, text: readFileSync(f === '-' ? 0 : f, 'utf8') }
    } catch {
      throw new UsageError(`${f}: cannot read the file (does it exist?)`)
    }
  })
  const dumps = texts.filter((x) => looksLikeIptables(x.text))
  if (dumps.length > 0) {
    if (dumps.length !== texts.length) throw new UsageError('mix of iptables dumps and manifests: pass either one iptables-save dump or manifests')
    if (dumps.length > 1) throw new UsageError('pass one iptables-save dump (with all its tables)')
    try {
      return withKubeJumpRules(parseRuleset(dumps[0]!.text))
    } catch (e) {
      if (e instanceof IptablesParseError) throw new UsageError(`${dumps[0]!.f}: ${e.message}`)
      throw e
    }
  }
  const options = generatorOptionsFromFlags(flags)
  return withKubeJumpRules(generateRules(readProxyState(files), options).ruleset, options.localhostNodePorts)
}

/** Runs `kplab trace`; with --node, over that lab node's live rules and addresses. */
export async function runTrace(flags: TraceFlags, io: CliIo): Promise<void> {
  let live: { rules: Ruleset; addresses: string[] } | undefined
  if (flags.node !== undefined) {
    if ((flags.filename ?? []).length > 0) throw new UsageError('pass either --node (a running lab) or -f (rules or manifests), not both')
    const lab = await openLabNode(io, flags.name ?? 'lab', flags.node)
    live = { rules: parseRuleset(await nodeIptablesSave(lab, flags.node)), addresses: await nodeAddresses(lab, flags.node) }
  }
  const proto = (flags.proto ?? 'tcp').toLowerCase()
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw new UsageError(`invalid value "${flags.proto}" for --proto: use tcp, udp or sctp`)
  if (flags.origin !== undefined && flags.origin !== 'network' && flags.origin !== 'local') throw new UsageError(`invalid value "${flags.origin}" for --origin: use network or local`)
  const sport = port('sport', flags.sport, false)
  const packet: TracePacket = {
    src: address('src', flags.src),
    dst: address('dst', flags.dst),
    dport: port('dport', flags.dport, true)!,
    proto,
    ...(sport !== undefined ? { sport } : {}),
  }
  const rs = live?.rules ?? loadRuleset(flags)
  const localAddresses = live?.addresses ?? (flags.nodeIp ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  const ctx = { localAddresses: localAddresses.map((a) => parseIP(a)).filter((a) => a !== undefined) }
  const origin = (flags.origin as 'network' | 'local' | undefined) ?? (isLocalAddress(ctx, packet.src) ? 'local' : 'network')
  const outcomes = tracePacket(rs, packet, { localAddresses, origin })
  io.out.write(formatTrace(packet, origin, outcomes))
}

/** Registers `kplab trace`. */
export function registerTrace(program: Command): void {
  addProxyRuleFlags(
    program
      .command('trace')
      .description('Walk a packet through kube-proxy\'s iptables rules (generated from manifests, or an iptables-save dump) and show where it goes')
      .option('--src <ip>', 'source address of the packet')
      .option('--dst <ip>', 'destination address (cluster IP, node IP, external or load-balancer IP)')
      .option('--dport <port>', 'destination port')
      .option('--sport <port>', 'source port (default 40000)')
      .option('--proto <proto>', 'tcp, udp or sctp', 'tcp')
      .option('--origin <where>', 'network (enters nat PREROUTING) or local (sent by the node: nat OUTPUT); default: local when --src is a node address')
      .option('--node <name>', 'trace over a running lab node\'s live rules (iptables-save in its namespace) and addresses')
      .option('--name <lab>', 'the lab of --node', 'lab'),
  ).action((flags: TraceFlags) => runTrace(flags, processIo()))
}
