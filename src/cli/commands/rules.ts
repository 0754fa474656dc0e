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
import { renderRuleset } from '../../proxy/iptables/render.js'
import { processIo, type CliIo } from '../kube-flags.js'

/** Flags of `rules`. */
export interface RulesFlags extends ProxyRuleFlags {
  explain?: boolean
  sorted?: boolean
  node?: string
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

/** Runs `kplab rules`. */
export function runRules(flags: RulesFlags, io: CliIo, stdinText?: string): void {
  if (flags.node !== undefined) {
    throw new UsageError(`--node ${flags.node}: reading a node's live rules needs the lab (kplab lab up), which is not available yet; use -f with manifests instead`)
  }
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
    .option('--node <name>', 'show what that node\'s proxy wrote in a running lab (needs the lab)')
    .action((flags: RulesFlags) => {
      const stdin = (flags.filename ?? []).includes('-') ? readFileSync(0, 'utf8') : undefined
      runRules(flags, processIo(), stdin)
    })
}
