import { parseScenario } from '/work/main/src/sim/load.js'
import { simulate } from '/work/main/src/sim/simulate.js'
const [req, d, lam, bk] = process.argv.slice(2).map(Number)
const sc = parseScenario(`
backends: ${bk}
workload:
  arrivals: {type: poisson, rate: ${lam}}
  service: {distribution: exponential, mean: 1}
  requests: ${req}
  warmup: ${Math.floor(req/3)}
algorithms:
  - ${d === 1 ? '{name: random}' : `{name: power-of-two-choices, params: {choices: ${d}}}`}
`)
const c0 = process.cpuUsage(); const t0 = performance.now()
const r = simulate(sc, 1)
const ms = (process.cpuUsage(c0).user)/1000
const m = r.algorithms[0].metrics
console.log(JSON.stringify({ ...m, share: undefined }), 'ms', ms.toFixed(0), 'req/s', (req / ms * 1000).toFixed(0), 'rss', (process.memoryUsage().rss/1e6).toFixed(0))
