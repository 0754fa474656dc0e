// pods/{name}/log as upstream serves it: find the pod's node, ask that node's kubelet for
// `/containerLogs/{ns}/{pod}/{container}` and stream its answer back.
// upstream: pkg/registry/core/pod/rest/log.go and pkg/registry/core/pod/strategy.go (LogLocation:
//           the node's address and daemonEndpoints.kubeletEndpoint.Port; the container must be named
//           when the pod has more than one)
import http from 'node:http'
import https from 'node:https'
import { StatusError } from '../../api/errors.js'
import type { KubeObject } from '../../api/meta.js'
import type { Node, Pod } from '../../api/types.js'
import type { LogQuery, PodLogSource } from './subresources.js'

/** Options of kubeletLogSource. */
export interface KubeletLogSourceOptions {
  /** Reads a Node by name (from the registry). */
  getNode(name: string): Promise<KubeObject>
  /** Bearer token presented to kubelets. */
  token?: string
}

/** The annotation a kplab kubelet sets to say its endpoint speaks plain HTTP (default https, as upstream). */
export const KUBELET_SCHEME_ANNOTATION = 'kplab.io/kubelet-scheme'

/** The kubelet URL of a pod's container log (pure). */
export function kubeletLogUrl(node: Node, pod: Pod, container: string, q: LogQuery): URL {
  const addrs = node.status?.addresses ?? []
  // upstream: pkg/util/node GetPreferredNodeAddress (InternalIP first, then ExternalIP, then Hostname)
  const addr = ['InternalIP', 'ExternalIP', 'Hostname'].map((t) => addrs.find((a) => a.type === t)?.address).find(Boolean)
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port
  if (!addr || !port) {
    throw new StatusError(500, 'InternalError', `node "${node.metadata.name}" reports no address or kubelet port (status.addresses, status.daemonEndpoints.kubeletEndpoint.Port); is its kubelet running?`)
  }
  const scheme = node.metadata.annotations?.[KUBELET_SCHEME_ANNOTATION] === 'http' ? 'http' : 'https'
  const u = new URL(`${scheme}://${addr.includes(':') ? `[${addr}]` : addr}:${port}`)
  u.pathname = `/containerLogs/${encodeURIComponent(pod.metadata.namespace ?? 'default')}/${encodeURIComponent(pod.metadata.name!)}/${encodeURIComponent(container)}`
  if (q.follow) u.searchParams.set('follow', 'true')
  if (q.tailLines !== undefined) u.searchParams.set('tailLines', String(q.tailLines))
  if (q.timestamps) u.searchParams.set('timestamps', 'true')
  if (q.sinceSeconds !== undefined) u.searchParams.set('sinceSeconds', String(q.sinceSeconds))
  if (q.previous) u.searchParams.set('previous', 'true')
  return u
}

/** The container whose log is wanted: the one named, or the pod's only container. */
export function logContainer(pod: Pod, container: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name)
  if (container) {
    if (!names.includes(container) && !(pod.spec?.initContainers ?? []).some((c) => c.name === container)) {
      throw new StatusError(400, 'BadRequest', `container ${container} is not valid for pod ${pod.metadata.name}`)
    }
    return container
  }
  if (names.length === 1) return names[0]!
  throw new StatusError(400, 'BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`)
}

/** A PodLogSource that proxies to the kubelet of the pod's node. */
export function kubeletLogSource(opts: KubeletLogSourceOptions): PodLogSource {
  return async (obj, q) => {
    const pod = obj as Pod
    const container = logContainer(pod, q.container)
    const nodeName = pod.spec?.nodeName
    if (!nodeName) throw new StatusError(400, 'BadRequest', `pod ${pod.metadata.name} is not scheduled to a node yet; its logs are served once a kubelet runs it`)
    const node = (await opts.getNode(nodeName)) as Node
    const url = kubeletLogUrl(node, pod, container, q)
    const headers: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {}
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      // Like kube-apiserver without --kubelet-certificate-authority, the kubelet's certificate is not verified.
      const req = url.protocol === 'https:' ? https.get(url, { headers, rejectUnauthorized: false }, resolve) : http.get(url, { headers }, resolve)
      req.on('error', (e) => reject(new StatusError(500, 'InternalError', `Get "${url.origin}${url.pathname}": ${e.message} (is the kubelet of node ${nodeName} running?)`)))
    })
    const code = res.statusCode ?? 500
    if (code !== 200) {
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      const text = Buffer.concat(chunks).toString('utf8').trim()
      throw new StatusError(code === 404 ? 404 : code === 401 || code === 403 ? 500 : 400, code === 404 ? 'NotFound' : code === 401 || code === 403 ? 'InternalError' : 'BadRequest', `the kubelet of node ${nodeName} answered ${code}: ${text}`)
    }
    return res
  }
}
