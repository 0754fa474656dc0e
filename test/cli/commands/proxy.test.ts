import t from 'tap'
import { formatPorts, formatStats } from '../../../src/cli/commands/proxy.js'
import { ProxyStats } from '../../../src/proxy/userspace/stats.js'

t.test('ports and stats tables', async (t) => {
  const ports = formatPorts([{ servicePort: 'default/web:p', protocol: 'tcp', clusterIP: '10.96.0.50', port: 80, externalIPs: [], nodePort: 0, proxyPort: 40001, kind: 'http', algorithm: 'maglev', listenAddress: '127.0.0.1', endpoints: 3 }])
  const lines = ports.trimEnd().split('\n')
  t.match(lines[0], /^SERVICE PORT\s+KIND\s+ALGORITHM\s+CLUSTER-IP:PORT\s+NODEPORT\s+LISTEN\s+ENDPOINTS$/)
  t.match(lines[1], /^default\/web:p\s+http\s+maglev\s+10\.96\.0\.50:80\/tcp\s+<none>\s+127\.0\.0\.1:40001\s+3$/)
  t.equal(formatPorts([]), 'No service ports.\n')
  const s = new ProxyStats()
  const e = s.port('default/web:p', 'tcp', 'round-robin').endpoint('10.244.1.2:8080')
  e.connections = 2
  e.requests = 4
  e.bytesOut = 4096
  e.observe(2)
  e.observe(4)
  const stats = formatStats(s.toJSON()).trimEnd().split('\n')
  t.match(stats[0], /^SERVICE PORT\s+ALGORITHM\s+ENDPOINT\s+ACTIVE\s+CONNS\s+REQS\s+IN\s+OUT\s+ERRORS\s+MEAN\(ms\)\s+P99\(ms\)$/)
  t.match(stats[1], /^default\/web:p\s+round-robin\s+10\.244\.1\.2:8080\s+0\s+2\s+4\s+0B\s+4\.0Ki\s+0\s+3\.00\s+≤5$/)
})
