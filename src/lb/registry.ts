// The one place that knows every algorithm: name → constructor, parameter validation, and the
// optional layers (slow start, outlier detection, ClientIP affinity) stacked over the choice.
import type { AlgorithmInfo, Balancer, BalancerDeps } from './balancer.js'
import { BalancerConfigError } from './errors.js'
import { ipHash } from './ip-hash.js'
import { leastConnection } from './least-connection.js'
import { leastTime } from './least-time.js'
import { maglev } from './maglev.js'
import { OutlierDetectionBalancer } from './outlier-detection.js'
import { num, validateParams, type ParamSpec } from './params.js'
import { powerOfTwoChoices } from './power-of-two-choices.js'
import { random } from './random.js'
import { ringHash } from './ring-hash.js'
import { roundRobin } from './round-robin.js'
import { SessionAffinityBalancer } from './session-affinity.js'
import { SlowStartBalancer } from './slow-start.js'

/** Every algorithm, in the order `--help` lists them. */
export const ALGORITHMS: readonly AlgorithmInfo[] = [roundRobin, leastConnection, powerOfTwoChoices, random, leastTime, ipHash, ringHash, maglev]

/** The algorithm used when a Service names none (kube-proxy's iptables mode is random; ours rotates). */
export const DEFAULT_ALGORITHM = 'round-robin'

/** Parameters of the layers, each enabled by its key being present in the params object. */
export const LAYER_PARAMS: Readonly<Record<'sessionAffinity' | 'slowStart' | 'outlierDetection', readonly ParamSpec[]>> = {
  sessionAffinity: [
    // upstream: pkg/apis/core/validation/validation.go (0 < timeoutSeconds <= 86400; default 10800)
    { name: 'timeoutSeconds', type: 'integer', min: 1, max: 86400, default: 10800, doc: 'how long a client stays bound after its last connection (Kubernetes default 10800)' },
  ],
  slowStart: [
    { name: 'windowSeconds', type: 'number', min: 0.001, max: 3600, default: 30, doc: 'ramp length after an endpoint becomes ready' },
    { name: 'aggression', type: 'number', min: 0.01, max: 100, default: 1, doc: '1 = linear ramp; larger ramps faster early (Envoy)' },
    { name: 'minWeightPercent', type: 'number', min: 0, max: 100, default: 10, doc: 'floor of the ramp, in percent of the weight (Envoy default 10)' },
  ],
  outlierDetection: [
    { name: 'consecutiveFailures', type: 'integer', min: 1, max: 1000, default: 5, doc: 'failures in a row that eject an endpoint (Envoy consecutive_5xx 5)' },
    { name: 'ejectionSeconds', type: 'number', min: 0.001, max: 86400, default: 30, doc: 'how long an ejected endpoint stays out (Envoy base_ejection_time 30 s)' },
    { name: 'maxEjectionPercent', type: 'number', min: 0, max: 100, default: 50, doc: 'cap on the share of ready endpoints ejected at once (one may always be, if another remains)' },
  ],
}

const byName = new Map<string, AlgorithmInfo>()
for (const a of ALGORITHMS) for (const n of [a.name, ...a.aliases]) byName.set(n, a)

/** The algorithm named `name` (canonical or alias, any case), or undefined. */
export function findAlgorithm(name: string): AlgorithmInfo | undefined {
  return byName.get(name.trim().toLowerCase())
}

/**
 * Builds the balancer `name` with `params` (the parsed `kplab.io/lb-params`): the algorithm's own
 * parameters at the top level, plus optional `sessionAffinity`, `slowStart` and `outlierDetection`
 * objects that stack those layers over it (slow start innermost, affinity outermost, so an ejected
 * endpoint also loses its clients and a returning one ramps up). Throws BalancerConfigError naming
 * the algorithm or the parameter at fault.
 */
export function createBalancer(name: string, params: Record<string, unknown> = {}, deps: BalancerDeps): Balancer {
  const algo = findAlgorithm(name)
  if (!algo) {
    throw new BalancerConfigError('algorithm', `unknown load-balancing algorithm "${name}" (known: ${ALGORITHMS.map((a) => a.name).join(', ')})`)
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new BalancerConfigError('params', `must be an object of ${algo.name} parameters (got ${JSON.stringify(params)})`)
  }
  const { sessionAffinity, slowStart, outlierDetection, ...own } = params
  let balancer = algo.create(validateParams(algo.name, algo.params, own), deps)
  if (slowStart !== undefined) {
    if (algo.hashed) {
      throw new BalancerConfigError('params.slowStart', `is not supported with ${algo.name}: a hashed algorithm would remap clients at every ramp step (nginx refuses slow_start with hash methods too)`)
    }
    const p = validateParams('slowStart', LAYER_PARAMS.slowStart, slowStart as Record<string, unknown>, 'params.slowStart.')
    balancer = new SlowStartBalancer(balancer, deps.clock, { windowSeconds: num(p, 'windowSeconds'), aggression: num(p, 'aggression'), minWeightPercent: num(p, 'minWeightPercent') })
  }
  if (outlierDetection !== undefined) {
    const p = validateParams('outlierDetection', LAYER_PARAMS.outlierDetection, outlierDetection as Record<string, unknown>, 'params.outlierDetection.')
    balancer = new OutlierDetectionBalancer(balancer, deps.clock, {
      consecutiveFailures: num(p, 'consecutiveFailures'),
      ejectionSeconds: num(p, 'ejectionSeconds'),
      maxEjectionPercent: num(p, 'maxEjectionPercent'),
    })
  }
  if (sessionAffinity !== undefined) {
    const p = validateParams('sessionAffinity', LAYER_PARAMS.sessionAffinity, sessionAffinity as Record<string, unknown>, 'params.sessionAffinity.')
    balancer = new SessionAffinityBalancer(balancer, deps.clock, num(p, 'timeoutSeconds'))
  }
  return balancer
}
