import t from 'tap'
import { IptablesMetrics } from '../../../src/proxy/iptables/metrics.js'

const counts = { filterChains: 6, filterRules: 4, natChains: 9, natRules: 21 }

t.test('records syncs, failures and changes under upstream names', async (t) => {
  const m = new IptablesMetrics()
  t.equal(m.prometheus(), '', 'nothing rendered before the first refresh')
  m.recordSync({ full: true, seconds: 0.003, timestampSeconds: 1767225600, counts })
  m.recordSync({ full: false, seconds: 0.001, timestampSeconds: 1767225601, counts: { ...counts, natRules: 25 } })
  m.recordRestoreFailure(true)
  m.recordRestoreFailure(false)
  m.recordChanges(1, 3)
  m.recordChanges(0, 0)
  m.recordProgrammingLatency(0.5)
  const text = await m.refresh()
  t.equal(m.prometheus(), text)
  t.match(text, /^kubeproxy_sync_proxy_rules_duration_seconds_count 2$/m)
  t.match(text, /^kubeproxy_sync_full_proxy_rules_duration_seconds_count 1$/m)
  t.match(text, /^kubeproxy_sync_partial_proxy_rules_duration_seconds_count 1$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_iptables_total\{table="nat"\} 25$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_iptables_total\{table="filter"\} 4$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_iptables_restore_failures_total 2$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total 1$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_last_timestamp_seconds 1767225601$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_service_changes_total 1$/m)
  t.match(text, /^kubeproxy_sync_proxy_rules_endpoint_changes_total 3$/m)
  t.match(text, /^kubeproxy_network_programming_duration_seconds_bucket\{le="0.5"\} 1$/m)
  t.match(text, /^kubeproxy_network_programming_duration_seconds_bucket\{le="0.25"\} 0$/m)
})

t.test('two instances do not share a registry', async (t) => {
  const a = new IptablesMetrics()
  const b = new IptablesMetrics()
  a.recordRestoreFailure(false)
  t.match(await b.refresh(), /^kubeproxy_sync_proxy_rules_iptables_restore_failures_total 0$/m)
  t.match(await a.refresh(), /^kubeproxy_sync_proxy_rules_iptables_restore_failures_total 1$/m)
})
