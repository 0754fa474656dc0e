// `kplab rules -f FILE…`: the iptables-restore payload kube-proxy would write for the Services and
// EndpointSlices in the files, with kube-proxy's own flag names; `--explain` says it in words.
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../../api/meta.js'
import { UsageError } from '../../base/errors.js'
import { explainRules } from '../../proxy/iptables/explain.js'
import { generateRules, type ProxyState } from '../../proxy/iptables/generate.js'
import { ProxyInputError, stateFromObjects } from '../../proxy/iptables/input.js'
import { generatorOptionsFromFlags, type ProxyRuleFlags } from '../../proxy/iptables/generator-flags.js'
import { normaliseRuleset } from '../../proxy/iptables/normalise.js'
import { parseRuleset } from '../../proxy/iptables/parse.js'
import { renderRuleset } from '../../proxy/iptables/render.js'
import { kubeProxyPart, labProxyState, nodeIptablesSave, openLabNode } from '../lab-node-rules.js'
import { processIo, type CliIo } from '../kube-flags.js'

/** Flags of `rules`. */
export interface RulesFlags extends ProxyRuleFlags {
  explain?: boolean
  sorted?: boolean
  node?: string
  /** The lab whose node --node names. */
  name?: string
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

/** Adds `-f` and kube-proxy's rule-shaping flags to a command. */
export function addProxyRuleFlags(cmd: Command): Command {
  return cmd
    .option('-f, --filename <file>', 'Kubernetes YAML or JSON with Services and EndpointSlices (repeatable; multi-document, kind: List)', collect)
    .option('--hostname-override <name>', 'node name: endpoints with this nodeName are local', 'node-1')
    .option('--node-ip <ips>', 'the node\'s IP address(es), comma-separated (first is the primary)', '192.168.56.11')
    .option('--cluster-cidr <cidr>', 'pod CIDR: traffic from it is pod traffic (detect-local-mode ClusterCIDR)', '10.244.0.0/16')
    .option('--masquerade-all', 'SNAT all traffic sent via Service cluster IPs')
    .option('--masquerade-bit <n>', 'bit of the fwmark that marks packets to SNAT (0-31)', '14')
    .option('--nodeport-addresses <cidrs>', 'comma-separated CIDRs of node addresses that accept NodePorts (default: all)')
    .option('--iptables-localhost-nodeports <bool>', 'accept NodePort connections on 127.0.0.1 (true|false)', 'true')
}


/** Reads Services and EndpointSlices from files; a bad one fails naming file, document and field. */
export function readProxyState(files: readonly string[], stdinText?: string): ProxyState {
  const state: { services: ProxyState['services'][number][]; endpointSlices: ProxyState['endpointSlices'][number][] } = { services: [], endpointSlices: [] }
  for (const file of files) {
    let text: string
    try {
      text = file === '-' ? (stdinText ?? '') : readFileSync(file, 'utf8')
    } catch {
      throw new UsageError(`${file}: cannot read the file (does it exist?)`)
    }
    parseAllDocuments(text).forEach((doc, i) => {
      const where = `${file}: document ${i + 1}`
      if (doc.errors.length > 0) throw new UsageError(`${where}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
      const value = doc.toJS() as unknown
      if (value === null || value === undefined) return
      const objects = flatten(value, where)
      try {
        const s = stateFromObjects(objects)
        state.services.push(...s.services)
        state.endpointSlices.push(...s.endpointSlices)
      } catch (e) {
        if (e instanceof ProxyInputError) throw new UsageError(`${where}: ${e.message}`)
        throw e
      }
    })
  }
  return state
}

function flatten(value: unknown, where: string): KubeObject[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where}: not an object (expected apiVersion, kind, metadata)`)
  const v = value as Record<string, unknown>
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
    return v.items.flatMap((item, i) => flatten(item, `${where}, items[${i}]`))
  }
  const meta = v.metadata as Record<string, unknown> | undefined
  if (typeof v.kind !== 'string') throw new UsageError(`${where}: kind: required`)
  if (typeof meta !== 'object' || meta === null || typeof meta.name !== 'string' || meta.name === '') throw new UsageError(`${where}: ${v.kind}: metadata.name: required`)
  return [v as unknown as KubeObject]
}

/** `kplab rules --node NAME`: the rules that node's proxy wrote (or, with --explain, why). */
export async function runNodeRules(flags: RulesFlags & { node: string }, io: CliIo): Promise<void> {
  if ((flags.filename ?? []).length > 0) throw new UsageError('pass either --node (a running lab) or -f (manifests), not both')
  const lab = await openLabNode(io, flags.name ?? 'lab', flags.node)
  if (flags.explain === true) {
    // The node's proxy generated its rules from these objects with its own node name.
    io.out.write(explainRules(await labProxyState(lab), { ...generatorOptionsFromFlags(flags), hostname: flags.node }))
    return
  }
  const dump = await nodeIptablesSave(lab, flags.node)
  io.out.write(flags.sorted === true ? renderRuleset(normaliseRuleset(parseRuleset(kubeProxyPart(dump)))) : kubeProxyPart(dump))
}

/** Runs `kplab rules`. */
export function runRules(flags: RulesFlags, io: CliIo, stdinText?: string): void {
  const files = flags.filename ?? []
  if (files.length === 0) throw new UsageError('no input: pass -f FILE with Services and EndpointSlices (e.g. kubectl get svc,endpointslices -A -o yaml)')
  const state = readProxyState(files, stdinText)
  const options = generatorOptionsFromFlags(flags)
  if (flags.explain === true) {
    io.out.write(explainRules(state, options))
    return
  }
  const result = generateRules(state, options)
  io.out.write(flags.sorted === true ? renderRuleset(normaliseRuleset(result.ruleset)) : result.payload)
}

/** Registers `kplab rules`. */
export function registerRules(program: Command): void {
  addProxyRuleFlags(
    program
      .command('rules')
      .description("Print the iptables-restore payload kube-proxy (iptables mode) would write for the given Services and EndpointSlices"),
  )
    .option('--explain', 'describe, per service port, the chain path and each endpoint\'s probability in words')
    .option('--sorted', 'print in upstream unit tests\' normalised order (chains and rules sorted)')
    .option('--node <name>', 'show what that node\'s proxy wrote in a running lab (iptables-save in its namespace; with --explain: why)')
    .option('--name <lab>', 'the lab of --node', 'lab')
    .action(async (flags: RulesFlags) => {
      if (flags.node !== undefined) return runNodeRules({ ...flags, node: flags.node }, processIo())
      const stdin = (flags.filename ?? []).includes('-') ? readFileSync(0, 'utf8') : undefined
      runRules(flags, processIo(), stdin)
    })
}
