// Systemd units for the Vagrant VMs, made from the same ComponentSpecs the netns lab supervises, so a
// VM runs each component with exactly the flags `kplab up` uses (one source of truth: components.ts).
// Pure: specs in, unit file text out; `kplab lab units` writes the files, provisioning enables them.
import type { ComponentSpec } from './components.js'

/** How a VM runs kplab: the command prefix and the environment every unit shares. */
export interface UnitContext {
  /** argv that starts kplab on the VM, e.g. ['/usr/bin/node', '/opt/kplab/bin/kplab.js']. */
  kplabCommand: string[]
  /** Working directory of every component (the machine's state directory). */
  workingDirectory: string
  /** Extra environment (e.g. KPLAB_LOG_LEVEL), written as Environment= lines in key order. */
  environment?: Record<string, string>
  /** Who generated the units, for the header comment (e.g. "kplab lab units --machine node1"). */
  generatedBy?: string
}

/** One unit file: its file name, the component it runs, and its text. */
export interface SystemdUnit {
  name: string
  component: string
  text: string
}

/** Prefix of every unit kplab writes, so `systemctl list-units 'kplab-*'` shows the whole lab. */
export const UNIT_PREFIX = 'kplab-'

/** The unit file name of a component: `kplab-<component>.service`. */
export function unitName(spec: Pick<ComponentSpec, 'name'>): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(spec.name)) {
    throw new Error(`component name "${spec.name}" cannot name a systemd unit: use letters, digits, '-', '_' or '.'`)
  }
  return `${UNIT_PREFIX}${spec.name}.service`
}

// Characters that need no quoting on an ExecStart= line (systemd.service(5), "Command lines").
const PLAIN = /^[A-Za-z0-9_@%$+=:,./-]+$/

/**
 * Quotes one argument for ExecStart=: systemd splits on whitespace, honours quotes and C escapes,
 * expands `%` specifiers and `$VAR`, so `%` becomes `%%` and `$` becomes `$$` in every argument.
 */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$')
  if (PLAIN.test(arg)) return escaped
  const inner = escaped
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
  return `"${inner}"`
}

/** Quotes a value of an Environment= assignment (the whole `KEY=value` is one quoted word). */
function environmentLine(key: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`environment variable name "${key}" is not valid: use letters, digits and '_'`)
  return `Environment=${quoteExecArg(`${key}=${value}`)}`
}

/** The units a component waits for: everything but the API server waits for the API server on the same machine. */
function dependencies(spec: ComponentSpec, all: ComponentSpec[]): string[] {
  const api = all.find((s) => s.name === 'apiserver' && s.machine === spec.machine)
  if (!api || api === spec) return []
  return [unitName(api)]
}

/** The text of one unit file for a component. */
export function renderUnit(spec: ComponentSpec, ctx: UnitContext, after: string[] = []): string {
  if (ctx.kplabCommand.length === 0) throw new Error('kplabCommand is empty: give the argv that runs kplab, e.g. /usr/bin/node /opt/kplab/bin/kplab.js')
  const order = ['network-online.target', ...after].join(' ')
  const lines: string[] = [
    `# ${spec.name} on ${spec.machine}. Generated${ctx.generatedBy ? ` by \`${ctx.generatedBy}\`` : ''} from lab/settings.yaml`,
    '# with the flags the netns lab uses (src/lab/components.ts); re-provision instead of editing.',
    '[Unit]',
    `Description=kplab ${spec.name} (${spec.machine})`,
    `After=${order}`,
    `Wants=${order}`,
    // Keep retrying forever: a node's components start before the master's API server answers.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `WorkingDirectory=${ctx.workingDirectory}`,
  ]
  for (const key of Object.keys(ctx.environment ?? {}).sort()) lines.push(environmentLine(key, ctx.environment![key]!))
  lines.push(`ExecStart=${[...ctx.kplabCommand, ...spec.args].map(quoteExecArg).join(' ')}`)
  lines.push('Restart=always', 'RestartSec=2')
  // Pods are the kubelet's child processes and it adopts them on restart, so a kubelet restart
  // must not kill them (the default KillMode=control-group would).
  if (spec.name === 'kubelet') lines.push('KillMode=process')
  // The userspace proxy holds a socket per connection.
  if (spec.name.startsWith('proxy')) lines.push('LimitNOFILE=65536')
  lines.push('', '[Install]', 'WantedBy=multi-user.target', '')
  return lines.join('\n')
}

/** Units for every component of a machine, in start order (the API server first). */
export function systemdUnits(specs: ComponentSpec[], ctx: UnitContext): SystemdUnit[] {
  const names = new Set<string>()
  const ordered = [...specs.filter((s) => s.name === 'apiserver'), ...specs.filter((s) => s.name !== 'apiserver')]
  return ordered.map((spec) => {
    const name = unitName(spec)
    if (names.has(name)) throw new Error(`two components named "${spec.name}" on ${spec.machine}: each needs its own unit`)
    names.add(name)
    return { name, component: spec.name, text: renderUnit(spec, ctx, dependencies(spec, specs)) }
  })
}
