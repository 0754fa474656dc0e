// `kplab up` / `down` / `status` / `kubeconfig` / `exec`: thin shells over src/lab/lab.ts. `up`
// detaches by default (as `kind create cluster`): it starts itself with --foreground as a daemon that
// supervises the lab, prints the daemon's progress and returns once every node is Ready.
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { realClock } from '../../base/clock.js'
import { UsageError } from '../../base/errors.js'
import { downLab, keepAlive, labStatus, openLab, upLab } from '../../lab/lab.js'
import { labStateDir } from '../../lab/lab-state.js'
import { labStateRoot } from '../lab-home.js'

interface UpFlags {
  name: string
  nodes?: string
  proxyMode?: string
  lbAlgorithm?: string
  mode?: string
  settings?: string
  foreground?: boolean
  notifyFd?: string
}

const stateRoot = (): string => labStateRoot()

function launcher(): { execPath: string; execArgv: string[]; entry: string } {
  return { execPath: process.execPath, execArgv: process.execArgv, entry: process.argv[1]! }
}

/** Registers up, down, status, kubeconfig and exec. */
export function registerLab(program: Command): void {
  program
    .command('up')
    .description('bring up a lab (netns when root on Linux, local otherwise) and return once every node is Ready')
    .option('--name <name>', 'lab name (several labs can coexist)', 'lab')
    .option('--nodes <n>', 'worker nodes (default: lab/settings.yaml)')
    .option('--proxy-mode <mode>', 'iptables | userspace (default: iptables in netns mode, userspace in local mode)')
    .option('--lb-algorithm <name>', 'userspace proxy algorithm for Services without kplab.io/lb-algorithm', 'round-robin')
    .option('--mode <mode>', 'netns | local (default: netns when possible)')
    .option('--settings <file>', 'lab settings (default: lab/settings.yaml)')
    .option('--foreground', 'supervise the lab in this process until Ctrl-C / SIGTERM, then take it down')
    .option('--notify-fd <fd>', 'internal: progress pipe of a detached up')
    .action(async (f: UpFlags) => {
      if (f.mode !== undefined && f.mode !== 'netns' && f.mode !== 'local') throw new UsageError(`--mode: "${f.mode}" is not a mode; use netns or local`)
      if (f.proxyMode !== undefined && f.proxyMode !== 'iptables' && f.proxyMode !== 'userspace') throw new UsageError(`--proxy-mode: "${f.proxyMode}" is not a proxy mode; use iptables or userspace`)
      if (f.nodes !== undefined && !/^\d+$/.test(f.nodes)) throw new UsageError(`--nodes: "${f.nodes}" must be a positive integer`)
      if (f.foreground) return runForeground(f)
      return runDetached(f)
    })

  program
    .command('down')
    .description('stop a lab and remove everything it created (also after a crash of kplab up)')
    .option('--name <name>', 'lab name', 'lab')
    .action(async (f: { name: string }) => {
      const { removed } = await downLab(f.name, stateRoot(), { clock: realClock })
      process.stdout.write(`lab "${f.name}" removed (${summarise(removed)})\n`)
    })

  program
    .command('status')
    .description('machines, components (up/down, restarts) and the API address of a lab')
    .option('--name <name>', 'lab name', 'lab')
    .action((f: { name: string }) => {
      const { state, running, processes } = labStatus(f.name, stateRoot())
      if (!state) throw new UsageError(`lab "${f.name}" is not running: run kplab up --name ${f.name}`)
      const out: string[] = []
      out.push(`lab ${state.name}: ${running ? state.phase : 'NOT RUNNING (its kplab up is gone; run kplab down --name ' + state.name + ')'} · ${state.mode} mode · proxy ${state.proxyMode} · algorithm ${state.lbAlgorithm}`)
      out.push(`API server  ${state.apiServerURL ?? '-'}`)
      out.push(`kubeconfig  ${state.kubeconfig ?? '-'}`)
      out.push('', 'MACHINE      ADDRESS          NAMESPACE')
      for (const [m, addr] of Object.entries(state.machines)) out.push(`${m.padEnd(12)} ${addr.padEnd(16)} ${state.prefix ? state.prefix + m : '-'}`)
      out.push('', 'COMPONENT                 MACHINE   PID      STATE  RESTARTS')
      for (const p of processes) out.push(`${p.name.padEnd(25)} ${p.machine.padEnd(9)} ${String(p.pid).padEnd(8)} ${(p.up ? 'up' : 'down').padEnd(6)} ${p.restarts ?? 0}`)
      process.stdout.write(out.join('\n') + '\n')
    })

  program
    .command('kubeconfig')
    .description('print the path of a lab\'s kubeconfig: export KUBECONFIG=$(kplab kubeconfig)')
    .option('--name <name>', 'lab name', 'lab')
    .action(async (f: { name: string }) => {
      const lab = await openLab(f.name, stateRoot(), { clock: realClock })
      process.stdout.write(`${lab.kubeconfig}\n`)
    })

  program
    .command('exec')
    .description('run a command inside a machine of the lab (its network namespace): kplab exec node1 -- ip route')
    .option('--name <name>', 'lab name', 'lab')
    .argument('<machine>', 'master, node1, …, client')
    .argument('<command...>', 'the command and its arguments (after --)')
    .action(async (machine: string, argv: string[], f: { name: string }) => {
      const lab = await openLab(f.name, stateRoot(), { clock: realClock })
      const full = [...lab.execPrefix(machine), ...argv]
      const child = spawn(full[0]!, full.slice(1), { stdio: 'inherit' })
      const code = await new Promise<number>((resolve) => {
        child.on('error', (e) => {
          process.stderr.write(`error: ${full[0]}: ${e.message}\n`)
          resolve(127)
        })
        child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)))
      })
      process.exitCode = code
    })
}

/** Supervises the lab in this process; SIGINT/SIGTERM take it down. */
async function runForeground(f: UpFlags): Promise<void> {
  const notify = f.notifyFd !== undefined ? createWriteStream('', { fd: Number(f.notifyFd) }) : process.stdout
  // The detached parent may be gone (Ctrl-C while waiting): the lab must not die of EPIPE.
  let notifyOpen = true
  notify.on('error', () => (notifyOpen = false))
  const say = (line: string): void => {
    if (notifyOpen) notify.write(`${line}\n`)
  }
  keepAlive()
  let stopping: Promise<unknown> | undefined
  let lab: Awaited<ReturnType<typeof upLab>> | undefined
  // Before up finishes a signal still must not orphan anything: remember it and go down after.
  let signalled = false
  const stop = (): void => {
    signalled = true
    if (lab && !stopping) stopping = lab.down().finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  try {
    lab = await upLab({
      name: f.name,
      ...(f.nodes !== undefined ? { nodes: Number(f.nodes) } : {}),
      ...(f.proxyMode !== undefined ? { proxyMode: f.proxyMode as 'iptables' | 'userspace' } : {}),
      ...(f.lbAlgorithm !== undefined ? { lbAlgorithm: f.lbAlgorithm } : {}),
      ...(f.mode !== undefined ? { mode: f.mode as 'netns' | 'local' } : {}),
      ...(f.settings !== undefined ? { settingsFile: f.settings } : {}),
      stateRoot: stateRoot(),
      launcher: launcher(),
      clock: realClock,
      onProgress: say,
    })
  } catch (e) {
    if (f.notifyFd !== undefined) {
      say(`error: ${(e as Error).message}`)
      notify.end()
    }
    throw e
  }
  say('')
  say(`machines    ${lab.mode === 'netns' ? ['master', ...lab.nodes, 'client'].join(', ') + ' (network namespaces)' : 'this host (local mode)'}`)
  say(`API server  ${lab.apiServerURL}`)
  say(`kubectl     export KUBECONFIG=$(kplab kubeconfig --name ${lab.name})`)
  say(`stop        kplab down --name ${lab.name}`)
  if (f.notifyFd !== undefined) notify.end()
  if (signalled) stop()
  // Stay alive (keepAlive above) until a signal takes the lab down and exits.
  await new Promise<void>(() => {})
}

/** Starts `kplab up --foreground` as a daemon and relays its progress until it is ready or failed. */
async function runDetached(f: UpFlags): Promise<void> {
  const args = ['up', '--name', f.name, '--foreground', '--notify-fd', '3']
  for (const [flag, v] of [['--nodes', f.nodes], ['--proxy-mode', f.proxyMode], ['--lb-algorithm', f.lbAlgorithm], ['--mode', f.mode], ['--settings', f.settings]] as const) {
    if (v !== undefined) args.push(flag, v)
  }
  const l = launcher()
  const child = spawn(l.execPath, [...l.execArgv, l.entry, ...args], { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] })
  const pipe = child.stdio[3] as NodeJS.ReadableStream
  let failed = false
  pipe.setEncoding('utf8')
  pipe.on('data', (d: string) => {
    if (/^error: /m.test(d)) failed = true
    process.stdout.write(d)
  })
  await new Promise<void>((resolve) => pipe.on('end', resolve).on('error', () => resolve()))
  child.unref()
  const { state, running } = labStatus(f.name, stateRoot())
  if (failed || !running || state?.phase !== 'ready') {
    throw new UsageError(`lab "${f.name}" did not come up; logs under ${labStateDir(stateRoot(), f.name)}/logs (removed again on failure)`)
  }
}

function summarise(items: string[]): string {
  const ns = items.filter((i) => i.startsWith('netns ')).length
  const procs = items.filter((i) => i.startsWith('process ')).length
  const dirs = items.filter((i) => !i.startsWith('netns ') && !i.startsWith('process ')).length
  return `${procs} processes, ${ns} namespaces${dirs > 0 ? ', state directory' : ''}`
}
