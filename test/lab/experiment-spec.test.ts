// Live experiment files: the shipped ones validate, defaults fill in, and every mistake names its field.
import t from 'tap'
import { readdirSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ExperimentError, loadExperiment, parseExperiment, validateExperiment } from '../../src/lab/experiment-spec.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const minimal = { deploy: { groups: [{ name: 'web' }] }, rounds: [{ proxy: 'iptables' }] }

t.test('the shipped live experiments validate', async (t) => {
  const dir = join(root, 'lab', 'experiments')
  const files = readdirSync(dir).filter((f) => f.startsWith('live-') && f.endsWith('.yaml'))
  t.ok(files.length >= 2, 'at least two live experiments')
  for (const f of files) {
    const e = loadExperiment(join(dir, f))
    t.equal(e.name, f.replace(/\.yaml$/, ''), `${f}: named after its file`)
    t.ok(e.rounds.length > 0)
  }
})

t.test('defaults', async (t) => {
  const e = validateExperiment(minimal, { name: 'x' })
  t.equal(e.name, 'x')
  t.equal(e.namespace, 'default')
  t.equal(e.appProtocol, 'http')
  t.same(e.groups, [{ name: 'web', replicas: 1, delayMs: 0, errorRate: 0 }])
  t.same(e.load, { loop: 'closed', concurrency: 4, rate: 0, requests: 300, keepAlive: true, timeoutMs: 10000 })
  t.same(e.rounds, [{ label: 'iptables', proxy: 'iptables', algorithm: undefined }])
  t.same(e.events, [])
})

t.test('a round with an algorithm goes to the userspace proxy; aliases resolve to the canonical name', async (t) => {
  const e = validateExperiment({ ...minimal, rounds: [{ algorithm: 'power-of-two-choices' }, { algorithm: 'round-robin', label: 'rr' }] }, { name: 'x' })
  t.same(e.rounds.map((r) => [r.proxy, r.algorithm, r.label]), [['userspace', 'power-of-two-choices', 'power-of-two-choices'], ['userspace', 'round-robin', 'rr']])
})

t.test('events are sorted by time and checked against the groups', async (t) => {
  const e = validateExperiment({ ...minimal, events: [{ atMs: 500, type: 'slow-group', group: 'web', delayMs: 50 }, { atMs: 100, type: 'delete-pod', group: 'web' }] }, { name: 'x' })
  t.same(e.events.map((x) => x.atMs), [100, 500])
})

t.test('errors name the field', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ ...minimal, extra: 1 }, /^extra: unknown field/],
    [{ rounds: [{}] }, /^deploy: is required/],
    [{ ...minimal, name: 'Not_DNS' }, /^name: must be a lowercase DNS label/],
    [{ ...minimal, deploy: { groups: [] } }, /^deploy\.groups: must be a non-empty list/],
    [{ ...minimal, deploy: { groups: [{ name: 'a' }, { name: 'a' }] } }, /^deploy\.groups\[1\]\.name: duplicate group name "a"/],
    [{ ...minimal, deploy: { groups: [{ name: 'a', replicas: 0 }] } }, /^deploy\.groups\[0\]\.replicas: must be an integer ≥ 1/],
    [{ ...minimal, deploy: { groups: [{ name: 'a', errorRate: 2 }] } }, /^deploy\.groups\[0\]\.errorRate: must be a number in \[0, 1\]/],
    [{ ...minimal, deploy: { groups: [{ name: 'a' }], appProtocol: 'grpc' } }, /^deploy\.appProtocol: must be http/],
    [{ ...minimal, load: { loop: 'open' } }, /^load\.rate: is required for an open loop/],
    [{ ...minimal, load: { loop: 'sideways' } }, /^load\.loop: must be closed/],
    [{ ...minimal, load: { keepAlive: 'yes' } }, /^load\.keepAlive: must be true or false/],
    [{ ...minimal, rounds: [] }, /^rounds: must be a non-empty list/],
    [{ ...minimal, rounds: [{ algorithm: 'p3c' }] }, /^rounds\[0\]\.algorithm: unknown algorithm "p3c" \(known: .*round-robin/],
    [{ ...minimal, rounds: [{ proxy: 'iptables', algorithm: 'random' }] }, /^rounds\[0\]\.algorithm: the iptables proxy has no algorithm/],
    [{ ...minimal, rounds: [{ proxy: 'ipvs' }] }, /^rounds\[0\]\.proxy: must be iptables or userspace/],
    [{ ...minimal, rounds: [{ proxy: 'iptables' }, { proxy: 'iptables' }] }, /^rounds\[1\]\.label: "iptables" appears twice/],
    [{ ...minimal, events: [{ type: 'delete-pod', group: 'web' }] }, /^events\[0\]\.atMs: is required/],
    [{ ...minimal, events: [{ atMs: 1, type: 'delete-pod', group: 'db' }] }, /^events\[0\]\.group: must name a group of deploy\.groups \(web\)/],
    [{ ...minimal, events: [{ atMs: 1, type: 'slow-group', group: 'web' }] }, /^events\[0\]\.delayMs: is required/],
    [{ ...minimal, events: [{ atMs: 1, type: 'stop-kubelet', node: 'master' }] }, /^events\[0\]\.node: must be a node name/],
    [{ ...minimal, events: [{ atMs: 1, type: 'explode' }] }, /^events\[0\]\.type: must be delete-pod, slow-group or stop-kubelet/],
  ]
  for (const [doc, re] of bad) {
    t.throws(() => validateExperiment(doc, { name: 'x' }), re, String(re))
  }
  t.throws(() => validateExperiment({}, { name: 'x' }), ExperimentError)
})

t.test('files: bad YAML and a missing file name the file', async (t) => {
  t.throws(() => parseExperiment('a: [', { name: 'x' }), /not valid YAML/)
  const dir = t.testdir({ 'bad.yaml': 'deploy: {groups: [{name: web}]}\nrounds: [{algorithm: nope}]\n' })
  t.throws(() => loadExperiment(join(dir, 'bad.yaml')), /bad\.yaml: rounds\[0\]\.algorithm: unknown algorithm "nope"/)
  t.throws(() => loadExperiment(join(dir, 'missing.yaml')), /missing\.yaml: cannot read the experiment file/)
})
