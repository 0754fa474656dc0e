// Measured beside predicted: the equivalent simulator scenario, measured rounds as a Report, and the
// report directory written with the simulator's code (report.json, report.md, SVGs, index.html).
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateExperiment } from '../../src/lab/experiment-spec.js'
import { BASE_SERVICE_MS, backendNames, formatComparison, measuredReport, type MeasuredRound, predictedScenario, writeComparisonDir } from '../../src/lab/experiment-report.js'
import type { LoadResult } from '../../src/lab/loadgen.js'
import { simulate } from '../../src/sim/simulate.js'

const exp = validateExperiment(
  {
    deploy: { groups: [{ name: 'fast', replicas: 2, delayMs: 2 }, { name: 'slow', replicas: 1, delayMs: 20 }] },
    load: { concurrency: 2, requests: 60 },
    rounds: [{ proxy: 'iptables' }, { algorithm: 'least-connection' }],
    events: [{ atMs: 100, type: 'slow-group', group: 'fast', delayMs: 9 }, { atMs: 200, type: 'delete-pod', group: 'slow' }],
  },
  { name: 'exp' },
)

function result(pods: Record<string, number>): LoadResult {
  const total = Object.values(pods).reduce((a, b) => a + b, 0)
  const lat = { count: total, mean: 3, p50: 2, p90: 5, p99: 20, max: 21 }
  return {
    url: 'http://x/', loop: 'closed', keepAlive: true, concurrency: 2, rate: 0, issued: total + 1, succeeded: total, errors: 1, errorKinds: { ECONNRESET: 1 }, connections: 2, durationMs: 100,
    latency: lat,
    pods: Object.fromEntries(Object.entries(pods).map(([p, n]) => [p, { ...lat, count: n, node: 'node1', podIP: '', errors: 0, share: n / total }])),
    latencyCdf: [{ value: 1, fraction: 0 }, { value: 2, fraction: 0.5 }, { value: 21, fraction: 1 }],
  }
}

t.test('the predicted scenario has one backend per pod, speeds from the delays, the events and one algorithm per round', async (t) => {
  const s = predictedScenario(exp)
  t.same(s.backends.map((b) => b.name), backendNames(exp))
  t.same(backendNames(exp), ['fast-0', 'fast-1', 'slow-0'])
  t.same(s.backends.map((b) => b.speed), [1 / (2 + BASE_SERVICE_MS), 1 / (2 + BASE_SERVICE_MS), 1 / (20 + BASE_SERVICE_MS)])
  t.same(s.backends[0]!.events.map((e) => [e.at, e.type]), [[100, 'slow']])
  t.same(s.backends[2]!.events.map((e) => [e.at, e.type]), [[200, 'down']])
  t.same(s.algorithms.map((a) => [a.name, a.unit, a.label]), [['iptables', 'connection', 'iptables'], ['least-connection', 'request', 'least-connection']])
  t.equal(s.workload.requests, 60)
  t.equal(s.workload.requestsPerConnection, 30, 'keep-alive closed loop: one connection per worker for the round')
  t.same(s.workload.clients, ['10.0.0.0'], 'one client address, as the lab\'s client machine')
  const report = simulate(s, 1)
  t.equal(report.algorithms.length, 2)
})

t.test('measured rounds become a Report keyed by backend names; replacement pods are extra backends', async (t) => {
  const rounds: MeasuredRound[] = [
    { round: exp.rounds[0]!, result: result({ 'exp-fast-a': 10, 'exp-fast-b': 10, 'exp-slow-c': 10 }), backendOf: { 'exp-fast-a': 'fast-0', 'exp-fast-b': 'fast-1', 'exp-slow-c': 'slow-0' }, notes: [] },
    { round: exp.rounds[1]!, result: result({ 'exp-fast-a': 20, 'exp-fast-b': 15, 'exp-slow-d': 5 }), backendOf: { 'exp-fast-a': 'fast-0', 'exp-fast-b': 'fast-1', 'exp-slow-d': 'slow-1' }, notes: [] },
  ]
  const m = measuredReport(exp, rounds)
  t.equal(m.source, 'measured')
  t.same(m.backends, ['fast-0', 'fast-1', 'slow-0', 'slow-1'])
  t.same(m.algorithms[0]!.metrics.share, { 'fast-0': 10 / 30, 'fast-1': 10 / 30, 'slow-0': 10 / 30, 'slow-1': 0 })
  t.equal(m.algorithms[1]!.metrics.share['slow-1'], 5 / 40)
  t.equal(m.algorithms[1]!.metrics.failed, 1)
  t.equal(m.algorithms[1]!.completed, 40)
  t.ok(Number.isNaN(m.algorithms[0]!.metrics.maxLoad), 'load is not measured live')
  const predicted = simulate(predictedScenario(exp), 1)
  const table = formatComparison(predicted, m)
  t.match(table, /iptables \(simulated\)/)
  t.match(table, /least-connection \(measured\)/)

  const dir = t.testdir({})
  const files = await writeComparisonDir(join(dir, 'out'), predicted, m, ['a note'])
  for (const f of ['report.json', 'report.md', 'index.html', 'share.svg']) t.ok(files.includes(f) && existsSync(join(dir, 'out', f)), f)
  const json = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { predicted: { source: string }; measured: { source: string }; notes: string[] }
  t.same([json.predicted.source, json.measured.source, json.notes], ['simulated', 'measured', ['a note']])
  const html = readFileSync(join(dir, 'out', 'index.html'), 'utf8')
  t.match(html, /<svg/)
  t.match(html, /least-connection \(measured\)/)
  t.match(readFileSync(join(dir, 'out', 'report.md'), 'utf8'), /## Notes\n\n- a note/)
})
