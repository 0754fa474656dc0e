// kplab/echo: an HTTP server that answers every request with who it is (pod name, pod IP, node) and
// how many requests it has served. ECHO_DELAY_MS delays each answer; ECHO_ERROR_RATE (0..1) answers
// that fraction of requests with 500, so a slow or failing pod is one line of YAML.
import http from 'node:http'

const env = process.env
const port = Number(env.PORT || 8080)
const host = env.KPLAB_BIND_ADDRESS || '0.0.0.0'
const delay = Number(env.ECHO_DELAY_MS || 0)
const errorRate = Number(env.ECHO_ERROR_RATE || 0)
let count = 0

const server = http.createServer((req, res) => {
  count++
  const n = count
  const body = {
    pod: env.POD_NAME || '',
    namespace: env.POD_NAMESPACE || '',
    podIP: env.POD_IP || '',
    node: env.NODE_NAME || '',
    requests: n,
    method: req.method,
    path: req.url,
    client: req.socket.remoteAddress,
  }
  const answer = () => {
    const fail = errorRate > 0 && Math.random() < errorRate
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(fail ? { ...body, error: 'injected by ECHO_ERROR_RATE' } : body) + '\n')
  }
  if (delay > 0) setTimeout(answer, delay)
  else answer()
})
server.listen(port, host, () => console.log(`echo ${env.POD_NAME || ''} listening on ${host}:${port}`))
const stop = (sig) => {
  console.log(`echo ${env.POD_NAME || ''} got ${sig}, served ${count} requests`)
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
