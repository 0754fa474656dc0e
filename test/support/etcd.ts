// Starts a throwaway etcd for a test: free loopback ports, a temp data dir, killed by PID in teardown.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { Test } from 'tap'

// Ports the kernel hands out for listeners on port 0, all held open together so they differ.
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer().listen(0, '127.0.0.1'))
  await Promise.all(servers.map((srv) => once(srv, 'listening')))
  const ports = servers.map((srv) => (srv.address() as { port: number }).port)
  await Promise.all(servers.map((srv) => new Promise((resolve) => srv.close(resolve))))
  return ports
}

/**
 * Runs `etcd` (must be on PATH; check with requireCapability first) for the duration of test t and
 * resolves once it logs that it serves clients. Fails after 20 s or when etcd exits early.
 */
export async function startEtcd(t: Test): Promise<{ endpoint: string; pid: number }> {
  const dir = t.testdir()
  const [client, peer] = await freePorts(2)
  const endpoint = `http://127.0.0.1:${client}`
  const peerUrl = `http://127.0.0.1:${peer}`
  const child = spawn(
    'etcd',
    [
      '--name', 'default',
      '--data-dir', `${dir}/etcd`,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `default=${peerUrl}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const pid = child.pid!
  // once() rejects on 'error' (spawn failed); the ready promise below reports that.
  const exited = once(child, 'exit').catch(() => undefined)
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM')
      await exited
    }
  })
  let log = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`etcd did not become ready within 20 s:\n${log.slice(-2000)}`)), 20_000)
    child.stderr!.setEncoding('utf8')
    const onData = (chunk: string): void => {
      log += chunk
      if (log.includes('ready to serve client requests')) {
        clearTimeout(timer)
        child.stderr!.off('data', onData)
        resolve()
      }
    }
    child.stderr!.on('data', onData)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot run etcd: ${err.message}`))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`etcd exited with ${code} before it was ready:\n${log.slice(-2000)}`))
    })
  })
  // Keep draining stderr so etcd never blocks on a full pipe.
  child.stderr!.resume()
  return { endpoint, pid }
}
