// kplab/tcp-echo: a TCP server that first sends "<pod> <podIP> <node>\n", then echoes what it receives.
import net from 'node:net'

const env = process.env
const port = Number(env.PORT || 9000)
const host = env.KPLAB_BIND_ADDRESS || '0.0.0.0'
const server = net.createServer((s) => {
  s.on('error', () => {})
  s.write(`${env.POD_NAME || ''} ${env.POD_IP || ''} ${env.NODE_NAME || ''}\n`)
  s.pipe(s)
})
server.listen(port, host, () => console.log(`tcp-echo ${env.POD_NAME || ''} listening on ${host}:${port}`))
const stop = () => {
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 100).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
