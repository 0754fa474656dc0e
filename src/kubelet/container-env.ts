// A container's environment: the node's PATH, kplab's POD_* variables (what the built-in images
// read, as a downward-API volume would give them), the pod's env with fieldRef values, and
// `$(VAR)` expansion in env values, command and args.
// upstream: pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables) and
//           third_party/forked/golang/expansion/expand.go ($(VAR), $$ escapes)
import type { Container, Pod } from '../api/types.js'

/** What the kubelet knows when it starts a container. */
export interface EnvContext {
  pod: Pod
  nodeName: string
  podIP: string
  hostIP: string
  /** Address a built-in image should bind. */
  bindAddress: string
  pathEnv: string
}

/** Expands `$(NAME)` from vars; `$$` is a literal `$`; unknown references stay as written. */
export function expand(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$'
    return name !== undefined && name in vars ? vars[name]! : m
  })
}

function fieldRef(path: string, ctx: EnvContext): string {
  const m = ctx.pod.metadata
  const labels = /^metadata\.labels\['(.+)'\]$/.exec(path)
  if (labels) return m.labels?.[labels[1]!] ?? ''
  const annotations = /^metadata\.annotations\['(.+)'\]$/.exec(path)
  if (annotations) return m.annotations?.[annotations[1]!] ?? ''
  switch (path) {
    case 'metadata.name':
      return m.name ?? ''
    case 'metadata.namespace':
      return m.namespace ?? ''
    case 'metadata.uid':
      return m.uid ?? ''
    case 'spec.nodeName':
      return ctx.nodeName
    case 'spec.serviceAccountName':
      return ctx.pod.spec.serviceAccountName ?? 'default'
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP
    default:
      return ''
  }
}

/** The environment of one container process. */
export function containerEnv(c: Container, ctx: EnvContext): Record<string, string> {
  const env: Record<string, string> = {
    PATH: ctx.pathEnv,
    HOSTNAME: ctx.pod.metadata.name ?? '',
    POD_NAME: ctx.pod.metadata.name ?? '',
    POD_NAMESPACE: ctx.pod.metadata.namespace ?? 'default',
    POD_IP: ctx.podIP,
    NODE_NAME: ctx.nodeName,
    KPLAB_BIND_ADDRESS: ctx.bindAddress,
  }
  const port = c.ports?.[0]?.containerPort
  if (port !== undefined) env.PORT = String(port)
  for (const e of c.env ?? []) {
    let value = e.value !== undefined ? expand(e.value, env) : ''
    const ref = (e.valueFrom as { fieldRef?: { fieldPath?: string } } | undefined)?.fieldRef?.fieldPath
    if (ref) value = fieldRef(ref, ctx)
    env[e.name] = value
  }
  return env
}

/** Command and args with `$(VAR)` expanded from the container's environment. */
export function expandCommand(c: Pick<Container, 'command' | 'args'>, env: Record<string, string>): Pick<Container, 'command' | 'args'> {
  const out: Pick<Container, 'command' | 'args'> = {}
  if (c.command) out.command = c.command.map((s) => expand(s, env))
  if (c.args) out.args = c.args.map((s) => expand(s, env))
  return out
}
