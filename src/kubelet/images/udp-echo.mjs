// kplab/udp-echo: a UDP server that answers each datagram with "<pod> <podIP> <node>: <datagram>".
import dgram from 'node:dgram'

const env = process.env
const port = Number(env.PORT || 9000)
const host = env.KPLAB_BIND_ADDRESS || '0.0.0.0'
const sock = dgram.createSocket('udp4')
sock.on('message', (msg, rinfo) => {
  sock.send(Buffer.concat([Buffer.from(`${env.POD_NAME || ''} ${env.POD_IP || ''} ${env.NODE_NAME || ''}: `), msg]), rinfo.port, rinfo.address)
})
sock.bind(port, host, () => console.log(`udp-echo ${env.POD_NAME || ''} listening on ${host}:${port}`))
const stop = () => sock.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
