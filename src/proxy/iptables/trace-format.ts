// Plain-text report of a trace: one block per possible path, then a summary of destinations.
import { renderRuleLine } from './render.js'
import { describeProbability, type TraceOutcome, type TracePacket } from './trace.js'

/** Formats outcomes as `kplab trace` prints them. */
export function formatTrace(packet: TracePacket, origin: 'network' | 'local', outcomes: readonly TraceOutcome[]): string {
  const lines: string[] = []
  const proto = packet.proto ?? 'tcp'
  lines.push(`packet: ${proto} ${packet.src} -> ${packet.dst}:${packet.dport} (${origin === 'local' ? 'sent by the node: nat OUTPUT' : 'arriving from the network: nat PREROUTING'})`)
  outcomes.forEach((o, i) => {
    lines.push('')
    lines.push(`path ${i + 1} of ${outcomes.length}, probability ${describeProbability(o.probability)} (${(o.probability * 100).toFixed(4)}%):`)
    for (const s of o.steps) lines.push(`  ${s.table.padEnd(6)} ${s.chain} #${s.position}: ${renderRuleLine(s.rule)}`)
    const dest = o.dnat === undefined ? 'no DNAT' : `DNAT to ${o.dnat}`
    lines.push(`  => ${o.verdict === 'ACCEPT' ? 'accepted' : o.verdict === 'DROP' ? 'dropped' : 'rejected'} (${o.decidedBy}), ${dest}, ${o.masquerade ? 'masqueraded (source NAT)' : 'source kept'}`)
    for (const n of o.notes) lines.push(`  note: ${n}`)
  })
  lines.push('')
  lines.push('summary:')
  const byDest = new Map<string, number>()
  for (const o of outcomes) {
    const key = o.verdict !== 'ACCEPT' ? `${o.verdict} (${o.decidedBy})` : o.dnat === undefined ? `ACCEPT to ${packet.dst}:${packet.dport} (no DNAT)` : `${o.dnat}${o.masquerade ? ' (masqueraded)' : ''}`
    byDest.set(key, (byDest.get(key) ?? 0) + o.probability)
  }
  for (const [k, p] of byDest) lines.push(`  ${k}: ${describeProbability(p)} (${(p * 100).toFixed(4)}%)`)
  return `${lines.join('\n')}\n`
}
