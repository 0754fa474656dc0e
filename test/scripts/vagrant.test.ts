// The Vagrant lab without VMs: the provisioning scripts in dry-run mode against golden output
// (UPDATE_GOLDEN=1 rewrites them), `vagrant validate` with the provider ignored, and shellcheck.
// A real `vagrant up` is `npm run test:vagrant` (scripts/vagrant/test-real.sh), opt-in.
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { labComponents, VM_NETNS } from '../../src/lab/components.js'
import { labMachines, loadLabSettings } from '../../src/lab/settings.js'
import { hasCommand, requireCapability } from '../support/env.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const fixtures = join(root, 'test', 'fixtures', 'vagrant')
const settingsFile = join(fixtures, 'settings.yaml')
const scripts = join(root, 'scripts', 'vagrant')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function exec(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: opts.cwd ?? root, env: { ...process.env, ...opts.env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0
      done({ code, stdout, stderr })
    })
  })
}

// A kplab with only the `lab` commands: the full CLI loads every component (fastify, etcd3, vega)
// on each of the scripts' calls, which more than doubles this test's time on a busy 2-core machine.
const LIGHT_CLI = `import { Command } from 'commander'
import { registerLabUnits } from '${join(root, 'src', 'cli', 'commands', 'lab-units.ts')}'
const program = new Command('kplab')
registerLabUnits(program)
program.parseAsync(process.argv).catch((err) => {
  process.stderr.write('error: ' + (err instanceof Error ? err.message : String(err)) + '\\n')
  process.exit(1)
})
`

/**
 * A bin directory with a fake `ip` (answering only `ip -o -4 addr show`, with the machine's address
 * on `iface` beside a NAT interface) and a `kplab` that runs the CLI from source (`full`: all of it).
 */
function fakeBin(dir: string, address: string, iface: string, full: boolean): string {
  const bin = join(dir, 'bin')
  writeFileSync(
    join(bin, 'ip'),
    `#!/bin/sh
if [ "$*" = "-o -4 addr show" ]; then
  echo '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever'
  echo '2: eth0    inet 192.168.121.23/24 brd 192.168.121.255 scope global dynamic eth0\\       valid_lft 3585sec preferred_lft 3585sec'
  echo '3: ${iface}    inet ${address}/24 brd 192.168.56.255 scope global ${iface}\\       valid_lft forever preferred_lft forever'
  exit 0
fi
echo "fake ip: dry-run must not run: ip $*" >&2
exit 1
`,
  )
  writeFileSync(join(dir, 'kplab-lab.mts'), LIGHT_CLI)
  const entry = full ? 'test/support/cli-entry.ts' : join(dir, 'kplab-lab.mts')
  writeFileSync(join(bin, 'kplab'), `#!/bin/sh\ncd '${root}' && exec '${process.execPath}' --import tsx '${entry}' "$@"\n`)
  chmodSync(join(bin, 'ip'), 0o755)
  chmodSync(join(bin, 'kplab'), 0o755)
  return bin
}

function dryRun(dir: string, role: 'master' | 'node', machine: string, address: string, iface: string, full = false): Promise<Run> {
  const bin = fakeBin(dir, address, iface, full)
  return exec('bash', [join(scripts, `provision-${role}.sh`), machine, address], {
    env: { PATH: `${bin}:${process.env.PATH}`, KPLAB_DRY_RUN: '1', KPLAB_CLI: join(bin, 'kplab'), KPLAB_SETTINGS: settingsFile, KPLAB_ROOT: '', KPLAB_STATE_DIR: '', KPLAB_UNIT_DIR: '', KPLAB_PROXY_MODE: '', KPLAB_LB_ALGORITHM: '' },
  })
}

// Paths of this checkout vary; the goldens say <repo>.
const normalise = (s: string): string => s.split(root).join('<repo>')

function golden(t: Test, name: string, actual: string): void {
  const file = join(fixtures, name)
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    writeFileSync(file, actual)
    t.pass(`wrote ${name}`)
    return
  }
  t.equal(actual, readFileSync(file, 'utf8'), `${name} (UPDATE_GOLDEN=1 regenerates it after an intended change)`)
}

t.test('provisioning dry-runs match the goldens and carry the netns lab flags', async (t) => {
  const dir = t.testdir({ master: { bin: {} }, node1: { bin: {} } })
  // eth1 as on libvirt, enp0s8 as on VirtualBox: the scripts find the interface by address.
  const [master, node1] = await Promise.all([
    dryRun(join(dir, 'master'), 'master', 'master', '192.168.56.10', 'eth1'),
    dryRun(join(dir, 'node1'), 'node', 'node1', '192.168.56.11', 'enp0s8'),
  ])
  t.equal(master.code, 0, master.stderr)
  t.equal(node1.code, 0, node1.stderr)
  golden(t, 'master.golden', normalise(master.stdout))
  golden(t, 'node1.golden', normalise(node1.stdout))

  t.match(master.stdout, /^\+ ip route replace 10\.244\.1\.0\/24 via 192\.168\.56\.11 dev eth1$/m)
  t.match(node1.stdout, /^\+ ip route replace 10\.244\.3\.0\/24 via 192\.168\.56\.13 dev enp0s8$/m)
  t.notMatch(node1.stdout, /10\.244\.1\.0\/24 via/, 'no route to its own pod CIDR')

  // One source of truth: every unit's ExecStart is `kplab` plus exactly the args labComponents gives.
  const settings = loadLabSettings(settingsFile)
  for (const [out, name] of [[master.stdout, 'master'], [node1.stdout, 'node1']] as const) {
    const machine = labMachines(settings).find((m) => m.name === name)!
    const specs = labComponents({ settings, stateDir: '/var/lib/kplab', kubeconfig: '/var/lib/kplab/kubeconfig', proxyMode: 'iptables', lbAlgorithm: 'round-robin', netns: () => VM_NETNS }, machine)
    const execs = out.split('\n').filter((l) => l.startsWith('ExecStart=/usr/bin/node /opt/kplab/bin/kplab.js '))
    t.equal(execs.length, specs.length, `${name}: one unit per component`)
    for (const spec of specs) {
      t.ok(execs.includes(`ExecStart=/usr/bin/node /opt/kplab/bin/kplab.js ${spec.args.join(' ')}`), `${name}: ${spec.name} runs with the lab's flags`)
    }
  }
})

t.test('a VM whose address disagrees with the settings stops with both addresses named', async (t) => {
  const dir = t.testdir({ bin: {} })
  // Through the full CLI: `kplab lab` is registered in the real program.
  const r = await dryRun(dir, 'node', 'node1', '192.168.56.99', 'enp0s8', true)
  t.equal(r.code, 1)
  t.match(r.stderr, 'gave node1 the address 192.168.56.99 but')
  t.match(r.stderr, 'says 192.168.56.11')
  t.notMatch(r.stdout, /systemctl/, 'nothing is started')
})

t.test('vagrant validate accepts the Vagrantfile without a provider, and defines the lab machines', async (t) => {
  if (!requireCapability(t, hasCommand('vagrant'), 'vagrant is not installed (apt-get install vagrant)')) return
  const dir = t.testdir({ dotfile: {}, home: {} })
  // Its own state and home: nothing written into the checkout or ~/.vagrant.d, no update check.
  const r = await exec('vagrant', ['validate', '--ignore-provider'], {
    env: { VAGRANT_DOTFILE_PATH: join(dir, 'dotfile'), VAGRANT_HOME: join(dir, 'home'), VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' },
  })
  t.equal(r.code, 0, r.stderr + r.stdout)
  t.match(r.stdout, 'Vagrantfile validated successfully')
  const defined = [...r.stdout.matchAll(/==> (\S+): Ignoring provider config/g)].map((m) => m[1])
  t.same(defined, labMachines(loadLabSettings(join(root, 'lab', 'settings.yaml'))).map((m) => m.name))
})

t.test('the provisioning scripts are shellcheck-clean', async (t) => {
  if (!requireCapability(t, hasCommand('shellcheck'), 'shellcheck is not installed (apt-get install shellcheck)')) return
  const files = readdirSync(scripts).filter((f) => f.endsWith('.sh')).map((f) => join('scripts', 'vagrant', f))
  t.ok(files.length >= 4, `scripts: ${files.join(' ')}`)
  const r = await exec('shellcheck', ['-x', ...files])
  t.equal(r.code, 0, r.stdout + r.stderr)
})
