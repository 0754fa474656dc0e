// `kplab lab units|routes|info --machine NAME`: what the Vagrant provisioning asks kplab instead of
// keeping its own copy of the lab's logic: systemd units with the netns lab's flags, the pod routes
// between VMs, and single facts about a machine (address, role, pod CIDR, admin kubeconfig).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { apiServerDataDir, labComponents, VM_NETNS, type ComponentContext, type ComponentSpec } from '../../lab/components.js'
import { labMachines, loadLabSettings, type LabMachine, type LabSettings } from '../../lab/settings.js'
import { systemdUnits, type SystemdUnit } from '../../lab/systemd.js'
import { processIo, type CliIo } from '../kube-flags.js'

/** Flags shared by the `kplab lab` subcommands. */
export interface LabMachineFlags {
  machine: string
  settings: string
  stateDir: string
  kubeconfig?: string
  proxyMode: string
  lbAlgorithm: string
}

/** Flags of `kplab lab units`. */
export interface LabUnitsFlags extends LabMachineFlags {
  out?: string
  dryRun?: boolean
  list?: boolean
  kplab: string
  logLevel: string
}

/** Fields `kplab lab info --field` prints. */
export const INFO_FIELDS = ['address', 'role', 'pod-cidr', 'api-server', 'kubeconfig', 'admin-kubeconfig', 'netns'] as const

/** Where systemd reads unit files written by an administrator. */
export const SYSTEMD_UNIT_DIR = '/etc/systemd/system'

/** A machine of the settings with the context and components the netns lab would give it (its namespace: the VM's own, as VM_NETNS). */
export interface ResolvedMachine {
  settings: LabSettings
  machine: LabMachine
  ctx: ComponentContext
  specs: ComponentSpec[]
}

/** Loads the settings, finds the machine by name and computes its components as the netns lab would (without netns). */
export function resolveMachine(f: LabMachineFlags): ResolvedMachine {
  const settings = loadLabSettings(f.settings)
  const machines = labMachines(settings)
  const machine = machines.find((m) => m.name === f.machine)
  if (!machine) {
    throw new UsageError(`--machine: no machine "${f.machine}" in ${f.settings} (nodes: ${settings.nodes}); use one of ${machines.map((m) => m.name).join(', ')}`)
  }
  if (f.proxyMode !== 'iptables' && f.proxyMode !== 'userspace') throw new UsageError(`--proxy-mode: "${f.proxyMode}" is not a proxy mode; use iptables or userspace`)
  const ctx: ComponentContext = {
    settings,
    stateDir: f.stateDir,
    kubeconfig: f.kubeconfig ?? join(f.stateDir, 'kubeconfig'),
    proxyMode: f.proxyMode,
    lbAlgorithm: f.lbAlgorithm,
    // The VM's own namespace, named by the provisioning: pods on the node bridge, rules written there.
    netns: () => VM_NETNS,
  }
  return { settings, machine, ctx, specs: labComponents(ctx, machine) }
}

/** The units of the machine, rendered for the VM's kplab command. */
export function labUnits(f: LabUnitsFlags): SystemdUnit[] {
  const kplab = f.kplab.split(/\s+/).filter((s) => s !== '')
  if (kplab.length === 0) throw new UsageError('--kplab: give the command that runs kplab on the VM, e.g. "/usr/bin/node /opt/kplab/bin/kplab.js"')
  const { specs } = resolveMachine(f)
  return systemdUnits(specs, {
    kplabCommand: kplab,
    workingDirectory: f.stateDir,
    environment: { KPLAB_LOG_LEVEL: f.logLevel },
    generatedBy: `kplab lab units --machine ${f.machine}`,
  })
}

/** `kplab lab units`: writes the unit files into --out (printing their names in start order), or prints them. */
export function runLabUnits(f: LabUnitsFlags, io: CliIo): void {
  const units = labUnits(f)
  if (f.list) {
    for (const u of units) io.out.write(`${u.name}\n`)
    return
  }
  if (f.out === undefined || f.dryRun) {
    // Each unit under a `# PATH` line naming the file it would be written to.
    const dir = f.out ?? SYSTEMD_UNIT_DIR
    io.out.write(units.map((u) => `# ${join(dir, u.name)}\n${u.text}`).join('\n'))
    if (!f.dryRun) io.err.write(`(printed only; give --out ${dir} to write the units)\n`)
    return
  }
  mkdirSync(f.out, { recursive: true })
  for (const u of units) {
    writeFileSync(join(f.out, u.name), u.text, { mode: 0o644 })
    io.out.write(`${u.name}\n`)
  }
}

/** Pod routes a machine needs: every other node's pod CIDR via that node's address, as `CIDR ADDRESS` lines. */
export function labRoutes(settings: LabSettings, machine: string): { cidr: string; via: string }[] {
  return labMachines(settings)
    .filter((m) => m.role === 'node' && m.name !== machine && m.podCIDR !== undefined)
    .map((m) => ({ cidr: m.podCIDR!, via: m.address }))
}

/** Facts about a machine, one per line in the order asked (`--field address,role`), for provisioning scripts. */
export function labInfo(f: LabMachineFlags, fields: string): string {
  const resolved = resolveMachine(f)
  return fields
    .split(',')
    .map((field) => infoField(resolved, field.trim()))
    .join('\n')
}

function infoField({ settings, machine, ctx }: ResolvedMachine, field: string): string {
  switch (field) {
    case 'address':
      return machine.address
    case 'role':
      return machine.role
    case 'pod-cidr':
      return machine.podCIDR ?? ''
    case 'api-server':
      return `https://${settings.masterAddress}:${settings.apiServerPort}`
    case 'kubeconfig':
      return ctx.kubeconfig
    case 'admin-kubeconfig':
      // Empty on nodes: only the master runs the API server, which writes admin.kubeconfig into
      // its --data-dir (src/apiserver/auth/bootstrap.ts).
      return machine.role === 'master' ? join(apiServerDataDir(ctx.stateDir), 'admin.kubeconfig') : ''
    case 'netns':
      // The name the provisioning gives the VM's own network namespace (nodes only).
      return machine.role === 'node' ? VM_NETNS : ''
    default:
      throw new UsageError(`--field: "${field}" is not a field; use one of ${INFO_FIELDS.join(', ')}`)
  }
}

function machineOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--machine <name>', 'machine name: master, node1, node2, …')
    .option('--settings <file>', 'the lab settings', 'lab/settings.yaml')
    .option('--state-dir <dir>', "the machine's state directory (data, logs, kubeconfig)", '/var/lib/kplab')
    .option('--kubeconfig <file>', 'kubeconfig the components read (default: STATE_DIR/kubeconfig)')
    .option('--proxy-mode <mode>', 'proxy mode of the nodes: iptables | userspace', 'iptables')
    .option('--lb-algorithm <name>', "the userspace proxy's default algorithm", 'round-robin')
}

/** Registers `kplab lab units`, `kplab lab routes` and `kplab lab info` (used by scripts/vagrant/). */
export function registerLabUnits(program: Command): void {
  const lab = program.command('lab').description('facts and systemd units for the Vagrant VMs, from lab/settings.yaml')
  machineOptions(lab.command('units').description("systemd units of a machine's components, with the netns lab's flags"))
    .option('--out <dir>', `write the unit files into DIR (e.g. ${SYSTEMD_UNIT_DIR}) and print their names in start order`)
    .option('--dry-run', 'print the units (each under a "# DIR/NAME" line) instead of writing them')
    .option('--list', 'print only the unit names, in start order')
    .option('--kplab <command>', 'how the VM runs kplab', '/usr/bin/node /opt/kplab/bin/kplab.js')
    .option('--log-level <level>', 'KPLAB_LOG_LEVEL of the components', 'info')
    .action((f: LabUnitsFlags) => runLabUnits(f, processIo()))
  lab
    .command('routes')
    .description('pod routes of a machine: "CIDR NODE-ADDRESS" for every other node')
    .requiredOption('--machine <name>', 'machine name: master, node1, …')
    .option('--settings <file>', 'the lab settings', 'lab/settings.yaml')
    .action((f: { machine: string; settings: string }) => {
      const settings = loadLabSettings(f.settings)
      if (!labMachines(settings).some((m) => m.name === f.machine)) throw new UsageError(`--machine: no machine "${f.machine}" in ${f.settings}`)
      const io = processIo()
      for (const r of labRoutes(settings, f.machine)) io.out.write(`${r.cidr} ${r.via}\n`)
    })
  machineOptions(lab.command('info').description('one fact about a machine, for scripts'))
    .requiredOption('--field <names>', `comma-separated, printed one per line: ${INFO_FIELDS.join(', ')}`)
    .action((f: LabMachineFlags & { field: string }) => void processIo().out.write(`${labInfo(f, f.field)}\n`))
}
